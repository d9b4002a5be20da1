// The W3C web-annotation-tests model schemas (MUST assertions), vendored in ./w3c-schemas (see its
// README.md for source, commit and licence). Generated list: one import per file so the bundler
// ships them without file-system reads at run time.

import defAnnotations from "./w3c-schemas/annotations.json";
import defBodyTarget from "./w3c-schemas/bodyTarget.json";
import defChoiceSet from "./w3c-schemas/choiceSet.json";
import defCollections from "./w3c-schemas/collections.json";
import defId from "./w3c-schemas/id.json";
import defOtherProperties from "./w3c-schemas/otherProperties.json";
import defSpecificResource from "./w3c-schemas/specificResource.json";
import s31AnnotationContextValidated from "./w3c-schemas/3.1-annotationContextValidated.json";
import s31AnnotationIdValidated from "./w3c-schemas/3.1-annotationIdValidated.json";
import s31AnnotationTypeValidated from "./w3c-schemas/3.1-annotationTypeValidated.json";
import s31TargetKeyFound from "./w3c-schemas/3.1-targetKeyFound.json";
import s32TargetObjectsRecognized from "./w3c-schemas/3.2-targetObjectsRecognized.json";
import s325NotBodyBodyValue from "./w3c-schemas/3.2.5-notBodyBodyValue.json";
import s32BodyObjectsRecognized from "./w3c-schemas/3.2-bodyObjectsRecognized.json";
import s325BodyValueValidated from "./w3c-schemas/3.2.5-bodyValueValidated.json";
import s331AnnotationCreatedValidated from "./w3c-schemas/3.3.1-annotationCreatedValidated.json";
import s331AnnotationModifiedValidated from "./w3c-schemas/3.3.1-annotationModifiedValidated.json";
import s331AnnotationGeneratedValidated from "./w3c-schemas/3.3.1-annotationGeneratedValidated.json";
import s336AnnotationRightsValidated from "./w3c-schemas/3.3.6-annotationRightsValidated.json";
import s337AnnotationCanonicalValidated from "./w3c-schemas/3.3.7-annotationCanonicalValidated.json";
import s337AnnotationViaValidated from "./w3c-schemas/3.3.7-annotationViaValidated.json";
import s321BodyTextDirectionValidated from "./w3c-schemas/3.2.1-bodyTextDirectionValidated.json";
import s331BodyCreatedValidated from "./w3c-schemas/3.3.1-bodyCreatedValidated.json";
import s331BodyModifiedValidated from "./w3c-schemas/3.3.1-bodyModifiedValidated.json";
import s336BodyRightsValidated from "./w3c-schemas/3.3.6-bodyRightsValidated.json";
import s337BodyCanonicalValidated from "./w3c-schemas/3.3.7-bodyCanonicalValidated.json";
import s337BodyViaValidated from "./w3c-schemas/3.3.7-bodyViaValidated.json";
import s327BodyEWRNoItems from "./w3c-schemas/3.2.7-bodyEWRNoItems.json";
import s335BodyEWRNoPurpose from "./w3c-schemas/3.3.5-bodyEWRNoPurpose.json";
import s324BodyChoiceSetNoValue from "./w3c-schemas/3.2.4-bodyChoiceSetNoValue.json";
import s4BodyChoiceSetNoSource from "./w3c-schemas/4-bodyChoiceSetNoSource.json";
import s335BodyChoiceSetNoPurpose from "./w3c-schemas/3.3.5-bodyChoiceSetNoPurpose.json";
import s327BodyEmbeddedTextualNoItems from "./w3c-schemas/3.2.7-bodyEmbeddedTextualNoItems.json";
import s4BodyEmbeddedTextualNoSource from "./w3c-schemas/4-bodyEmbeddedTextualNoSource.json";
import s327BodySpecificResourceNoItems from "./w3c-schemas/3.2.7-bodySpecificResourceNoItems.json";
import s4BodySpecificResourceNoValue from "./w3c-schemas/4-bodySpecificResourceNoValue.json";
import s321TargTextDirectionValidated from "./w3c-schemas/3.2.1-targTextDirectionValidated.json";
import s331TargCreatedValidated from "./w3c-schemas/3.3.1-targCreatedValidated.json";
import s331TargModifiedValidated from "./w3c-schemas/3.3.1-targModifiedValidated.json";
import s336TargRightsValidated from "./w3c-schemas/3.3.6-targRightsValidated.json";
import s337TargCanonicalValidated from "./w3c-schemas/3.3.7-targCanonicalValidated.json";
import s337TargViaValidated from "./w3c-schemas/3.3.7-targViaValidated.json";
import s327TargEWRNoItems from "./w3c-schemas/3.2.7-targEWRNoItems.json";
import s335TargEWRNoPurpose from "./w3c-schemas/3.3.5-targEWRNoPurpose.json";
import s324TargChoiceSetNoValue from "./w3c-schemas/3.2.4-targChoiceSetNoValue.json";
import s4TargChoiceSetNoSource from "./w3c-schemas/4-targChoiceSetNoSource.json";
import s335TargChoiceSetNoPurpose from "./w3c-schemas/3.3.5-targChoiceSetNoPurpose.json";
import s327TargSpecificResourceNoItems from "./w3c-schemas/3.2.7-targSpecificResourceNoItems.json";
import s4TargSpecificResourceNoValue from "./w3c-schemas/4-targSpecificResourceNoValue.json";
import s324TargNoTypeTextualBody from "./w3c-schemas/3.2.4-targNoTypeTextualBody.json";
import s42SelectorValidIfPresent from "./w3c-schemas/4.2-selectorValidIfPresent.json";
import s43StateValidIfPresent from "./w3c-schemas/4.3-stateValidIfPresent.json";
import s433RefinedByValidated from "./w3c-schemas/4.3.3-refinedByValidated.json";
import s44StyleClassValidIfPresent from "./w3c-schemas/4.4-styleClassValidIfPresent.json";
import s42FragmentCssXPathSelectorValid from "./w3c-schemas/4.2-fragmentCssXPathSelectorValid.json";
import s424TextQuoteSelectorValid from "./w3c-schemas/4.2.4-textQuoteSelectorValid.json";
import s42TextDataPositionSelectorValid from "./w3c-schemas/4.2-TextDataPositionSelectorValid.json";
import s427SvgSelectorValid from "./w3c-schemas/4.2.7-svgSelectorValid.json";
import s428RangeSelectorValid from "./w3c-schemas/4.2.8-rangeSelectorValid.json";
import s431TimeStateValid from "./w3c-schemas/4.3.1-timeStateValid.json";
import s432HttpRequestStateValid from "./w3c-schemas/4.3.2-httpRequestStateValid.json";
import s51CollectionContextValidated from "./w3c-schemas/5.1-collectionContextValidated.json";
import s51CollectionIdValidated from "./w3c-schemas/5.1-collectionIdValidated.json";
import s51CollectionTypeValidated from "./w3c-schemas/5.1-collectionTypeValidated.json";
import s51CollectionLabelValidated from "./w3c-schemas/5.1-collectionLabelValidated.json";
import s51CollectionTotalValidated from "./w3c-schemas/5.1-collectionTotalValidated.json";
import s51CollectionFirstValidated from "./w3c-schemas/5.1-collectionFirstValidated.json";
import s51CollectionLastValidated from "./w3c-schemas/5.1-collectionLastValidated.json";
import s331CollectionCreatedValidated from "./w3c-schemas/3.3.1-collectionCreatedValidated.json";
import s331CollectionModifiedValidated from "./w3c-schemas/3.3.1-collectionModifiedValidated.json";
import s336CollectionRightsValidated from "./w3c-schemas/3.3.6-collectionRightsValidated.json";
import s52PageContextValidated from "./w3c-schemas/5.2-pageContextValidated.json";
import s52PageIdValidated from "./w3c-schemas/5.2-pageIdValidated.json";
import s52PageTypeValidated from "./w3c-schemas/5.2-pageTypeValidated.json";
import s52PageItemsValidated from "./w3c-schemas/5.2-pageItemsValidated.json";
import s52PageStartIndexValidated from "./w3c-schemas/5.2-pageStartIndexValidated.json";
import s52PagePartOfValidated from "./w3c-schemas/5.2-pagePartOfValidated.json";
import s52PageNextValidated from "./w3c-schemas/5.2-pageNextValidated.json";
import s52PagePrevValidated from "./w3c-schemas/5.2-pagePrevValidated.json";
import s52PageTotalValidated from "./w3c-schemas/5.2-pageTotalValidated.json";
import s52PageLabelValidated from "./w3c-schemas/5.2-pageLabelValidated.json";
import s52PageFirstValidated from "./w3c-schemas/5.2-pageFirstValidated.json";
import s52PageLastValidated from "./w3c-schemas/5.2-pageLastValidated.json";
import s331PageCreatedValidated from "./w3c-schemas/3.3.1-pageCreatedValidated.json";
import s331PageModifiedValidated from "./w3c-schemas/3.3.1-pageModifiedValidated.json";
import s336PageRightsValidated from "./w3c-schemas/3.3.6-pageRightsValidated.json";

/** Shared definitions the assertions refer to by their draft-04 `id`. */
export const w3cDefinitionSchemas = [defAnnotations, defBodyTarget, defChoiceSet, defCollections, defId, defOtherProperties, defSpecificResource];

/** annotations/annotationMusts.test: every assertion an Annotation must pass. */
export const w3cAnnotationMusts = [
  s31AnnotationContextValidated,
  s31AnnotationIdValidated,
  s31AnnotationTypeValidated,
  s31TargetKeyFound,
  s32TargetObjectsRecognized,
  s325NotBodyBodyValue,
  s32BodyObjectsRecognized,
  s325BodyValueValidated,
  s331AnnotationCreatedValidated,
  s331AnnotationModifiedValidated,
  s331AnnotationGeneratedValidated,
  s336AnnotationRightsValidated,
  s337AnnotationCanonicalValidated,
  s337AnnotationViaValidated,
  s321BodyTextDirectionValidated,
  s331BodyCreatedValidated,
  s331BodyModifiedValidated,
  s336BodyRightsValidated,
  s337BodyCanonicalValidated,
  s337BodyViaValidated,
  s327BodyEWRNoItems,
  s335BodyEWRNoPurpose,
  s324BodyChoiceSetNoValue,
  s4BodyChoiceSetNoSource,
  s335BodyChoiceSetNoPurpose,
  s327BodyEmbeddedTextualNoItems,
  s4BodyEmbeddedTextualNoSource,
  s327BodySpecificResourceNoItems,
  s4BodySpecificResourceNoValue,
  s321TargTextDirectionValidated,
  s331TargCreatedValidated,
  s331TargModifiedValidated,
  s336TargRightsValidated,
  s337TargCanonicalValidated,
  s337TargViaValidated,
  s327TargEWRNoItems,
  s335TargEWRNoPurpose,
  s324TargChoiceSetNoValue,
  s4TargChoiceSetNoSource,
  s335TargChoiceSetNoPurpose,
  s327TargSpecificResourceNoItems,
  s4TargSpecificResourceNoValue,
  s324TargNoTypeTextualBody,
  s42SelectorValidIfPresent,
  s43StateValidIfPresent,
  s433RefinedByValidated,
  s44StyleClassValidIfPresent,
  s42FragmentCssXPathSelectorValid,
  s424TextQuoteSelectorValid,
  s42TextDataPositionSelectorValid,
  s427SvgSelectorValid,
  s428RangeSelectorValid,
  s431TimeStateValid,
  s432HttpRequestStateValid,
];

/** collections/collectionMusts.test: an AnnotationCollection. */
export const w3cCollectionMusts = [
  s51CollectionContextValidated,
  s51CollectionIdValidated,
  s51CollectionTypeValidated,
  s51CollectionLabelValidated,
  s51CollectionTotalValidated,
  s51CollectionFirstValidated,
  s51CollectionLastValidated,
  s331CollectionCreatedValidated,
  s331CollectionModifiedValidated,
  s336CollectionRightsValidated,
];

/** collections/pages/pageMusts.test: an AnnotationPage. */
export const w3cPageMusts = [
  s52PageContextValidated,
  s52PageIdValidated,
  s52PageTypeValidated,
  s52PageItemsValidated,
  s52PageStartIndexValidated,
  s52PagePartOfValidated,
  s52PageNextValidated,
  s52PagePrevValidated,
  s52PageTotalValidated,
  s52PageLabelValidated,
  s52PageFirstValidated,
  s52PageLastValidated,
  s331PageCreatedValidated,
  s331PageModifiedValidated,
  s336PageRightsValidated,
];

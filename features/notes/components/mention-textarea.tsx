"use client";

import { useLocale, useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState, type RefObject } from "react";
import { notesApi } from "./notes-client";

export type Mention = { id: string; name: string };

/** "@query" right before the caret (at the start or after a space), or null. */
function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const match = /(^|\s)@([^\s@]{0,30})$/.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - match[2]!.length - 1, query: match[2]! };
}

/**
 * A textarea that, in a group note, offers the group's members after "@" (combobox + listbox:
 * arrows move, Enter or Tab picks, Escape closes; the active option is announced through
 * aria-activedescendant). Picked members are reported by id; without a group it is a plain
 * textarea and "@" is just text.
 */
export function MentionTextarea({
  groupId,
  value,
  onChange,
  onMentionsChange,
  textareaRef,
  ...rest
}: {
  groupId: string | null;
  value: string;
  onChange: (value: string) => void;
  onMentionsChange: (mentions: Mention[]) => void;
  textareaRef: RefObject<HTMLTextAreaElement | null>;
} & Omit<React.TextareaHTMLAttributes<HTMLTextAreaElement>, "value" | "onChange" | "ref">) {
  const t = useTranslations("Notes");
  const locale = useLocale();
  const id = useId();
  const [query, setQuery] = useState<{ start: number; query: string } | null>(null);
  const [options, setOptions] = useState<Mention[]>([]);
  const [active, setActive] = useState(0);
  const picked = useRef<Mention[]>([]);
  const open = groupId !== null && query !== null && options.length > 0;

  useEffect(() => {
    if (!groupId || query === null) return;
    let cancelled = false;
    const timer = setTimeout(async () => {
      const result = await notesApi(locale, t("errors.network")).mentionCandidates(groupId, query.query);
      if (cancelled) return;
      setOptions(result.ok ? result.members : []);
      setActive(0);
    }, 120);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [groupId, query, locale, t]);

  function update(text: string, caret: number) {
    onChange(text);
    const next = groupId ? mentionQuery(text, caret) : null;
    setQuery((current) => (current?.start === next?.start && current?.query === next?.query ? current : next));
    if (!next) setOptions([]);
    // A mention counts only while its "@name" is still in the text.
    picked.current = picked.current.filter((m) => text.includes(`@${m.name}`));
    onMentionsChange(picked.current);
  }

  function pick(member: Mention) {
    if (!query) return;
    const caret = query.start + 1 + query.query.length;
    const text = `${value.slice(0, query.start)}@${member.name} ${value.slice(caret)}`;
    if (!picked.current.some((m) => m.id === member.id)) picked.current = [...picked.current, member];
    onChange(text);
    onMentionsChange(picked.current);
    setQuery(null);
    setOptions([]);
    const position = query.start + member.name.length + 2;
    requestAnimationFrame(() => textareaRef.current?.setSelectionRange(position, position));
  }

  function onKeyDown(event: React.KeyboardEvent<HTMLTextAreaElement>) {
    if (!open) return;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setActive((i) => (i + 1) % options.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((i) => (i - 1 + options.length) % options.length);
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      pick(options[active]!);
    } else if (event.key === "Escape") {
      // Close the list only: the panel's Escape handler must not close the whole panel.
      event.preventDefault();
      event.stopPropagation();
      event.nativeEvent.stopImmediatePropagation();
      setQuery(null);
      setOptions([]);
    }
  }

  return (
    <div className="mention-field">
      <textarea
        {...rest}
        ref={textareaRef}
        value={value}
        onChange={(event) => update(event.target.value, event.target.selectionStart ?? event.target.value.length)}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => setOptions([]), 150)}
        {...(groupId
          ? {
              role: "combobox",
              "aria-autocomplete": "list" as const,
              "aria-expanded": open,
              "aria-controls": `${id}-mentions`,
              "aria-activedescendant": open ? `${id}-mention-${active}` : undefined,
            }
          : {})}
      />
      {groupId && (
        <ul id={`${id}-mentions`} role="listbox" aria-label={t("mentionList")} className="mention-list" hidden={!open}>
          {open &&
            options.map((member, index) => (
              <li
                key={member.id}
                id={`${id}-mention-${index}`}
                role="option"
                aria-selected={index === active}
                className={index === active ? "active" : undefined}
                onMouseDown={(event) => {
                  event.preventDefault();
                  pick(member);
                }}
              >
                {member.name}
              </li>
            ))}
        </ul>
      )}
    </div>
  );
}

import { describe, expect, it } from "vitest";
import { ownerOfSource, splitChunk } from "./bench-chunks";

// A chunk in Turbopack's production form: push([currentScript, id, factory, id, factory, …]).
const zodFactory = '(e,t,n)=>{class a extends Error{name="$ZodError"}n.z=a}';
const fiberFactory = '(e,t,n)=>{var k="__reactFiber$"+Math.random();n.k=k}';
const appFactory = '(e,t,n)=>{n.Button=function(){return"save"}}';
const chunk = `(globalThis.TURBOPACK||(globalThis.TURBOPACK=[])).push(["object"==typeof document?document.currentScript:void 0,101,${zodFactory},202,${fiberFactory},303,${appFactory}]);`;

describe("splitChunk", () => {
  it("splits a Turbopack chunk into its modules and names each", () => {
    const modules = splitChunk(chunk, new Map([[303, "[project]/features/notes/components/save-button.tsx [app-client] (ecmascript)"]]));
    const byId = new Map(modules.map((m) => [m.id, m]));
    expect(byId.get(101)).toMatchObject({ owner: "zod", bytes: zodFactory.length });
    expect(byId.get(202)).toMatchObject({ owner: "react-dom", bytes: fiberFactory.length });
    expect(byId.get(303)).toMatchObject({ owner: "app: features/notes/components/save-button.tsx", bytes: appFactory.length });
    // Every byte of the chunk is counted once: the wrapper goes to Next's runtime.
    expect(modules.reduce((sum, m) => sum + m.bytes, 0)).toBe(Buffer.byteLength(chunk));
  });

  it("names a package merged into a client component's factory", () => {
    const modules = splitChunk(chunk.replace(appFactory, '(e,t,n)=>{var z="invalid zlib data";n.Export=z}'), new Map([[303, "[project]/features/note-export/components/export-notes.tsx"]]));
    expect(modules.find((m) => m.id === 303)?.owner).toBe("app: features/note-export/components/export-notes.tsx (with fflate)");
  });

  it("treats a script that is not a Turbopack chunk as one module", () => {
    expect(splitChunk('self.x="next-router"', new Map())).toEqual([{ id: -1, bytes: 20, owner: "next (runtime)" }]);
  });
});

describe("ownerOfSource", () => {
  it("falls back to app code for code without a package's signature", () => {
    expect(ownerOfSource("function f(){return 1}")).toBe("other (app code, small libraries)");
    expect(ownerOfSource('x="IntlMessageFormat"')).toBe("next-intl (use-intl, intl-messageformat)");
  });
});

/** How a reply's actions look as buttons, the same on every channel: their rows and their labels. */
import { shortTitle } from "../answer/render-text.js";
import type { Action } from "../answer/reply.js";
import type { Lang } from "../shared/lang.js";
import { text } from "../shared/texts.js";

/** Reading on (more, sources, similar), then the sheet's other sections, then feedback; empty rows left out. */
export function actionRows(actions: Action[]): Action[][] {
  return [actions.filter((a) => a.type === "more" || a.type === "sources" || a.type === "similar"), actions.filter((a) => a.type === "section"), actions.filter((a) => a.type === "feedback")].filter((row) => row.length);
}

/** A button's label in the reply's language; a section's title is cut to `sectionChars`. */
export function actionLabel(action: Action, lang: Lang, sectionChars: number): string {
  switch (action.type) {
    case "more":
      return text("moreButton", lang);
    case "sources":
      return text("sourcesButton", lang);
    case "similar":
      return text("similarButton", lang);
    case "section":
      return `§ ${shortTitle(action.label, sectionChars)}`;
    case "feedback":
      return text(action.useful ? "useful" : "notUseful", lang);
  }
}

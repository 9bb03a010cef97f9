/**
 * Text and properties of a PDF, page by page, with pdf.js (Mozilla). pdf.js (and the canvas and fonts it loads,
 * some 20 MB resident) is imported on the first PDF read, not by every process that could read one.
 */

export interface PdfContent {
  title?: string;
  author?: string;
  subject?: string;
  language?: string;
  pages: string[];
}

interface PdfInfo {
  Title?: string;
  Author?: string;
  Subject?: string;
  Language?: string;
}

/** Each page's text (whitespace tidied) and the document's title, author, subject and language properties; throws on an unreadable PDF. */
export async function readPdf(data: Uint8Array): Promise<PdfContent> {
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  // pdf.js takes ownership of the buffer it is given, so hand it a copy.
  const doc = await getDocument({ data: new Uint8Array(data), isEvalSupported: false, useSystemFonts: false, verbosity: 0 }).promise;
  try {
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let text = "";
      for (const item of content.items) {
        if (!("str" in item)) continue;
        text += item.str + (item.hasEOL ? "\n" : " ");
      }
      pages.push(
        text
          .replace(/[ \t]+\n/g, "\n")
          .replace(/[ \t]{2,}/g, " ")
          .trim(),
      );
    }
    const info = ((await doc.getMetadata()).info ?? {}) as PdfInfo;
    return {
      title: info.Title?.trim() || undefined,
      author: info.Author?.trim() || undefined,
      subject: info.Subject?.trim() || undefined,
      language: info.Language?.trim() || undefined,
      pages,
    };
  } finally {
    await doc.destroy();
  }
}

// For the slip's browser tests: the text of a printed PDF (pdf.js, as a PDF viewer reads it), and the
// pixels of a PNG screenshot (drawn on a canvas in a blank page of the same browser) for a QR decoder.

import type { Browser } from 'playwright-core';

/** Every text item of every page, joined by spaces (runs of spaces made one: a PDF places words, not spaces). */
export async function pdfText(pdf: Buffer): Promise<string> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: new Uint8Array(pdf), useSystemFonts: false, isEvalSupported: false }).promise;
  const parts: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    for (const item of content.items) if ('str' in item) parts.push(item.str);
  }
  await doc.destroy();
  return parts.join(' ').replace(/\s+/g, ' ');
}

/** The RGBA pixels of a PNG, as jsQR takes them. */
export async function rasterPixels(browser: Browser, png: Buffer): Promise<{ data: Uint8ClampedArray; width: number; height: number }> {
  const page = await browser.newPage();
  try {
    // A string: this file is type-checked for Node, where there is no DOM.
    const out = await page.evaluate<{ data: number[]; width: number; height: number }>(`(async () => {
      const img = new Image();
      img.src = 'data:image/png;base64,${png.toString('base64')}';
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.naturalWidth;
      canvas.height = img.naturalHeight;
      const ctx = canvas.getContext('2d');
      ctx.drawImage(img, 0, 0);
      const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      return { data: Array.from(data), width: canvas.width, height: canvas.height };
    })()`);
    return { data: Uint8ClampedArray.from(out.data), width: out.width, height: out.height };
  } finally {
    await page.close();
  }
}

/** QR codes as SVG data URLs (the qrcode library), for a second factor's enrolment. */
import QRCode from "qrcode";

/** An `<img src>` for `text` as a QR code: SVG, so it stays sharp, and allowed by the CSP (img-src data:). */
export async function qrDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: "svg", errorCorrectionLevel: "M", margin: 2 });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString("base64")}`;
}

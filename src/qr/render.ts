// QR codes as SVG (qrcode-svg): scalable, so one image fills a projector or a phone screen.
import QRCode from "qrcode-svg";

/** An SVG that scales to its box (viewBox, no fixed size), with a quiet zone for far-away cameras. */
export function qrSvg(content: string): string {
	return new QRCode({ content, padding: 4, width: 256, height: 256, ecl: "M", join: true }).svg({
		container: "svg-viewbox",
	});
}

// QR codes as SVG (qrcode-svg): scalable, so one image fills a projector or a phone screen.
import QRCode from "qrcode-svg";

/**
 * qrcode-svg colours its shapes with style="" attributes, which the pages' CSP (style-src 'self')
 * blocks; without them the background turns black and the code unreadable. Presentation
 * attributes draw the same and are allowed.
 */
function withoutInlineStyles(svg: string): string {
	return svg.replace(
		/style="fill:(#[0-9a-f]{6});shape-rendering:crispEdges;"/gi,
		'fill="$1" shape-rendering="crispEdges"',
	);
}

/** An SVG that scales to its box (viewBox, no fixed size), with a quiet zone for far-away cameras. */
export function qrSvg(content: string): string {
	const svg = new QRCode({ content, padding: 4, width: 256, height: 256, ecl: "M", join: true }).svg({
		container: "svg-viewbox",
	});
	return withoutInlineStyles(svg);
}

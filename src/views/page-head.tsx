// The <head> every page shares: UTF-8, a phone-width viewport, no indexing, one stylesheet and the
// page's scripts (a plain one first, e.g. the LIFF SDK, then the deferred page app).
import type { FC } from "hono/jsx";

export const PageHead: FC<{ title: string; stylesheet: string; scripts?: string[]; deferred?: string }> = ({
	title,
	stylesheet,
	scripts = [],
	deferred,
}) => (
	<head>
		<meta charset="utf-8" />
		<meta name="viewport" content="width=device-width, initial-scale=1" />
		<meta name="robots" content="noindex" />
		<title>{title}</title>
		<link rel="icon" href="data:," />
		<link rel="stylesheet" href={stylesheet} />
		{scripts.map((src) => (
			<script src={src}></script>
		))}
		{deferred && <script src={deferred} defer></script>}
	</head>
);

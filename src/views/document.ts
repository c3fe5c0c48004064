// A full HTML document from a JSX page (JSX cannot write the doctype itself).
import { html } from "hono/html";

export const htmlDocument = (page: unknown) => html`<!doctype html>${page}`;

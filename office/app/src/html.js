// @ts-check
// Preact's `h` bound to htm's tagged templates: components are plain functions returning html`…`, no build step.

import { h } from "preact";
import htm from "htm";

export const html = htm.bind(h);

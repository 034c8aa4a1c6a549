// @ts-check
// Signing in with a login and password, and choosing the commune to work in.

import { useEffect, useRef, useState } from "preact/hooks";

import { html } from "../html.js";
import { t } from "../i18n.js";
import { call, signIn, useSession } from "../session.js";
import { ErrorBox, href, useLoad } from "../ui.js";

export function SignIn() {
  const [form, setForm] = useState({ login: "", password: "" });
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const first = useRef(/** @type {HTMLInputElement | null} */ (null));
  useEffect(() => first.current?.focus(), []);
  const submit = async (/** @type {Event} */ event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const me = await signIn(form.login, form.password);
      // One commune and no operator's console: straight to its inbox.
      if (!me.operator && me.memberships.length === 1) location.hash = href(me.memberships[0].commune, "");
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  return html`<section class="signin">
    <h1>${t("signin.title")}</h1>
    <form onSubmit=${submit} aria-busy=${busy}>
      <div class="field">
        <label for="login">${t("signin.login")}</label>
        <input id="login" ref=${first} autocomplete="username" required dir="ltr" value=${form.login}
          onInput=${(/** @type {any} */ e) => setForm({ ...form, login: e.currentTarget.value })} />
      </div>
      <div class="field">
        <label for="password">${t("signin.password")}</label>
        <input id="password" type="password" autocomplete="current-password" required value=${form.password}
          onInput=${(/** @type {any} */ e) => setForm({ ...form, password: e.currentTarget.value })} />
      </div>
      <${ErrorBox} error=${error} />
      <button type="submit" disabled=${busy}>${t("signin.submit")}</button>
    </form>
  </section>`;
}

/** The communes the user works in (roles in each), and the operator's console. */
export function CommuneChoice() {
  const { me } = useSession();
  const communes = useLoad(() => call((c) => c.listCommunes()), []);
  const name = (/** @type {string} */ slug) => communes.data?.find((c) => c.slug === slug)?.name ?? slug;
  return html`<section>
    <h1>${t("choice.title", { name: me.displayName })}</h1>
    ${me.memberships.length
      ? html`<ul class="cards">
          ${me.memberships.map(
            (m) => html`<li>
              <a href=${href(m.commune, "")}><strong>${name(m.commune)}</strong></a>
              <span>${m.roles.map((r) => t(`role.${r}`)).join(" · ")}</span>
            </li>`,
          )}
        </ul>`
      : html`<p>${t("choice.none")}</p>`}
    ${me.operator ? html`<p><a class="button" href="#/operator/communes">${t("choice.operator")}</a></p>` : null}
    <${ErrorBox} error=${communes.error} />
  </section>`;
}

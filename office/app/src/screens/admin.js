// @ts-check
// Commune administration: users and their roles (operators for any commune, `manage_access` holders for theirs),
// API tokens, webhook endpoints and dead letters, the SMTP relay.

import { useState } from "preact/hooks";

import { html } from "../html.js";
import { dateTime, t } from "../i18n.js";
import { call, useSession } from "../session.js";
import { ErrorBox, Field, Form, Loading, Notice, Select, useLoad } from "../ui.js";

/** The roles of the commune standard, in the order a commune usually grants them. */
const ROLES = ["counter_agent", "head_of_service", "civil_registrar", "information_officer", "council_secretary", "president", "commune_admin"];

function Unsupported() {
  return html`<p role="note" class="hint">${t("admin.unsupported")}</p>`;
}

export function Users({ commune }) {
  const { features } = useSession();
  const users = useLoad(() => (features?.accounts ? call((c) => c.communeUsers(commune)) : Promise.resolve(null)), [commune]);
  const [form, setForm, ] = useState({ login: "", displayName: "", password: "", role: "counter_agent" });
  const [error, setError] = useState(null);
  const [notice, setNotice] = useState("");
  if (!features?.accounts) return html`<section><h1>${t("nav.users")}</h1><${Unsupported} /></section>`;
  const run = async (/** @type {(c: any) => Promise<any>} */ fn, /** @type {string} */ text) => {
    setError(null);
    try {
      await call(fn);
      setNotice(text);
      users.reload();
    } catch (caught) {
      setError(caught);
    }
  };
  return html`<section>
    <h1>${t("nav.users")}</h1>
    <${Notice} text=${notice} />
    <${ErrorBox} error=${error || users.error} />
    ${users.data
      ? html`<table class="list">
          <caption>${t("admin.usersCount", { count: users.data.length })}</caption>
          <thead><tr><th scope="col">${t("signin.login")}</th><th scope="col">${t("admin.name")}</th><th scope="col">${t("admin.roles")}</th><th scope="col">${t("admin.status")}</th><th scope="col">${t("admin.actions")}</th></tr></thead>
          <tbody>${users.data.map((u) => html`<tr>
            <td dir="ltr">${u.login}</td><td>${u.displayName}</td>
            <td><ul class="roles">${u.roles.map((r) => html`<li>${t(`role.${r}`)} <button type="button" aria-label=${t("admin.revokeRole", { role: t(`role.${r}`), user: u.displayName })} onClick=${() => run((c) => c.revokeRole(commune, u.id, r), t("admin.done"))}>×</button></li>`)}</ul>
              <${GrantRole} user=${u} grant=${(/** @type {string} */ role) => run((c) => c.grantRole(commune, u.id, role), t("admin.done"))} /></td>
            <td>${u.disabled ? t("admin.disabled") : t("admin.enabled")}</td>
            <td><button type="button" onClick=${() => run((c) => c.setUserDisabled(commune, u.id, !u.disabled), t("admin.done"))}>${u.disabled ? t("admin.enable") : t("admin.disable")}</button>
              <${ResetPassword} reset=${(/** @type {string} */ password) => run((c) => c.resetUserPassword(commune, u.id, password), t("admin.passwordReset"))} /></td>
          </tr>`)}</tbody>
        </table>`
      : html`<${Loading} />`}
    <h2>${t("admin.createUser")}</h2>
    <${Form} submitLabel=${t("admin.createUser")} onSubmit=${async () => {
      await call((c) => c.createUser(commune, { login: form.login, displayName: form.displayName, password: form.password, roles: [form.role] }));
      setForm({ login: "", displayName: "", password: "", role: "counter_agent" });
      setNotice(t("admin.done"));
      users.reload();
    }}>
      <${Field} label=${t("signin.login")} name="login" value=${form} set=${setForm} required dir="ltr" />
      <${Field} label=${t("admin.name")} name="displayName" value=${form} set=${setForm} required />
      <${Field} label=${t("signin.password")} name="password" type="password" value=${form} set=${setForm} required hint=${t("admin.passwordHint")} />
      <${Select} label=${t("admin.role")} name="role" value=${form} set=${setForm} options=${ROLES.map((r) => [r, t(`role.${r}`)])} />
    </${Form}>
  </section>`;
}

function GrantRole({ user, grant }) {
  const [role, setRole] = useState("");
  const id = `grant-${user.id}`;
  return html`<span class="inline">
    <label for=${id} class="visually-hidden">${t("admin.grantRoleTo", { user: user.displayName })}</label>
    <select id=${id} value=${role} onChange=${(/** @type {any} */ e) => setRole(e.currentTarget.value)}>
      <option value="">${t("admin.addRole")}</option>
      ${ROLES.filter((r) => !user.roles.includes(r)).map((r) => html`<option value=${r}>${t(`role.${r}`)}</option>`)}
    </select>
    <button type="button" disabled=${!role} onClick=${() => grant(role)}>${t("admin.grant")}</button>
  </span>`;
}

function ResetPassword({ reset }) {
  const [password, setPassword] = useState("");
  return html`<span class="inline">
    <input type="password" aria-label=${t("admin.newPassword")} autocomplete="new-password" value=${password} onInput=${(/** @type {any} */ e) => setPassword(e.currentTarget.value)} />
    <button type="button" disabled=${password.length < 12} onClick=${() => reset(password)}>${t("admin.resetPassword")}</button>
  </span>`;
}

export function ApiTokens({ commune }) {
  const { features } = useSession();
  const tokens = useLoad(() => (features?.apiTokens ? call((c) => c.apiTokens(commune)) : Promise.resolve(null)), [commune]);
  const [form, setForm] = useState({ label: "", kind: "PARTNER", role: "counter_agent", expiresAt: "" });
  const [issued, setIssued] = useState("");
  const [error, setError] = useState(null);
  return html`<section>
    <h1>${t("nav.tokens")}</h1>
    <${ErrorBox} error=${error || tokens.error} />
    ${!features?.apiTokens ? html`<${Unsupported} />` : null}
    ${tokens.data
      ? html`<table class="list">
          <caption>${t("admin.tokens")}</caption>
          <thead><tr><th scope="col">${t("admin.label")}</th><th scope="col">${t("admin.kind")}</th><th scope="col">${t("admin.created")}</th><th scope="col">${t("admin.expires")}</th><th scope="col">${t("admin.lastUsed")}</th><th scope="col">${t("admin.status")}</th></tr></thead>
          <tbody>${tokens.data.map((k) => html`<tr>
            <td>${k.label}</td><td>${k.kind}</td><td>${dateTime(k.createdAt)}</td><td>${dateTime(k.expiresAt)}</td><td>${dateTime(k.lastUsedAt)}</td>
            <td>${k.revokedAt ? t("admin.revokedAt", { date: dateTime(k.revokedAt) }) : html`<button type="button" onClick=${async () => {
              try { await call((c) => c.revokeApiToken(k.id)); tokens.reload(); } catch (caught) { setError(caught); }
            }}>${t("admin.revoke")}</button>`}</td>
          </tr>`)}</tbody>
        </table>`
      : null}
    <h2>${t("admin.issueToken")}</h2>
    ${issued ? html`<p role="status" class="secret">${t("admin.tokenOnce")} <code dir="ltr">${issued}</code></p>` : null}
    <${Form} submitLabel=${t("admin.issueToken")} onSubmit=${async () => {
      const token = await call((c) => c.createApiToken({
        kind: /** @type {any} */ (form.kind), label: form.label, communes: [commune],
        roles: form.kind === "STAFF" ? [form.role] : [], expiresAt: form.expiresAt ? new Date(form.expiresAt).toISOString() : null,
      }));
      setIssued(token.token);
      tokens.reload();
    }}>
      <${Field} label=${t("admin.label")} name="label" value=${form} set=${setForm} required />
      <${Select} label=${t("admin.kind")} name="kind" value=${form} set=${setForm} options=${[["PARTNER", t("admin.PARTNER")], ["STAFF", t("admin.STAFF")]]} />
      ${form.kind === "STAFF" ? html`<${Select} label=${t("admin.role")} name="role" value=${form} set=${setForm} options=${ROLES.map((r) => [r, t(`role.${r}`)])} />` : null}
      <${Field} label=${t("admin.expires")} name="expiresAt" type="date" value=${form} set=${setForm} />
    </${Form}>
  </section>`;
}

export function Webhooks({ commune }) {
  const endpoints = useLoad(() => call((c) => c.webhookEndpoints(commune)), [commune]);
  const dead = useLoad(() => call((c) => c.notificationDeliveries(commune, "DEAD")), [commune]);
  const [form, setForm] = useState({ url: "", events: "" });
  const [secret, setSecret] = useState("");
  const [error, setError] = useState(null);
  const run = async (/** @type {(c: any) => Promise<any>} */ fn) => {
    setError(null);
    try {
      await call(fn);
      endpoints.reload();
      dead.reload();
    } catch (caught) {
      setError(caught);
    }
  };
  return html`<section>
    <h1>${t("nav.webhooks")}</h1>
    <${ErrorBox} error=${error || endpoints.error || dead.error} />
    ${endpoints.data
      ? html`<table class="list">
          <caption>${t("admin.endpoints")}</caption>
          <thead><tr><th scope="col">URL</th><th scope="col">${t("admin.events")}</th><th scope="col">${t("admin.status")}</th><th scope="col">${t("admin.actions")}</th></tr></thead>
          <tbody>${endpoints.data.map((w) => html`<tr><td dir="ltr">${w.url}</td><td>${w.events.join(", ") || t("common.all")}</td><td>${w.active ? t("admin.enabled") : t("admin.disabled")}</td>
            <td>${w.active ? html`<button type="button" onClick=${() => run((c) => c.deleteWebhookEndpoint(commune, w.id))}>${t("admin.turnOff")}</button>` : null}</td></tr>`)}</tbody>
        </table>`
      : html`<${Loading} />`}
    ${secret ? html`<p role="status" class="secret">${t("admin.secretOnce")} <code dir="ltr">${secret}</code></p>` : null}
    <${Form} submitLabel=${t("admin.addEndpoint")} onSubmit=${async () => {
      const created = await call((c) => c.createWebhookEndpoint(commune, { url: form.url, events: form.events.split(",").map((e) => e.trim()).filter(Boolean) }));
      setSecret(created.secret);
      endpoints.reload();
    }}>
      <${Field} label="URL" name="url" type="url" value=${form} set=${setForm} required dir="ltr" />
      <${Field} label=${t("admin.events")} name="events" value=${form} set=${setForm} dir="ltr" hint=${t("admin.eventsHint")} />
    </${Form}>
    <h2>${t("admin.deadLetters")}</h2>
    ${dead.data
      ? dead.data.nodes.length
        ? html`<table class="list">
            <caption>${t("admin.deadLetters")}${dead.data.pageInfo.hasNextPage ? ` (${dead.data.nodes.length} / ${dead.data.totalCount})` : ""}</caption>
            <thead><tr><th scope="col">${t("admin.channel")}</th><th scope="col">${t("admin.attempts")}</th><th scope="col">${t("admin.lastError")}</th><th scope="col">${t("admin.actions")}</th></tr></thead>
            <tbody>${dead.data.nodes.map((d) => html`<tr><td>${d.channel}</td><td>${d.attempts}</td><td>${d.lastError ?? ""}</td>
              <td><button type="button" onClick=${() => run((c) => c.replayDelivery(commune, d.id))}>${t("admin.replay")}</button></td></tr>`)}</tbody>
          </table>`
        : html`<p>${t("admin.noDeadLetters")}</p>`
      : html`<${Loading} />`}
  </section>`;
}

export function Smtp({ commune }) {
  const current = useLoad(() => call((c) => c.smtpSettings(commune)), [commune]);
  const [form, setForm] = useState({ host: "", port: "587", tls: "STARTTLS", username: "", password: "", fromAddress: "" });
  const [notice, setNotice] = useState("");
  return html`<section>
    <h1>${t("nav.smtp")}</h1>
    <${Notice} text=${notice} />
    <${ErrorBox} error=${current.error} />
    ${current.data
      ? html`<dl class="facts"><dt>${t("admin.host")}</dt><dd dir="ltr">${current.data.host}:${current.data.port} (${current.data.tls})</dd>
          <dt>${t("admin.from")}</dt><dd dir="ltr">${current.data.fromAddress}</dd><dt>${t("admin.updated")}</dt><dd>${dateTime(current.data.updatedAt)}</dd></dl>`
      : html`<p>${t("admin.noSmtp")}</p>`}
    <${Form} submitLabel=${t("common.save")} onSubmit=${async () => {
      await call((c) => c.setSmtpSettings(commune, { host: form.host, port: Number(form.port), tls: /** @type {any} */ (form.tls), username: form.username || null, password: form.password || undefined, fromAddress: form.fromAddress }));
      setNotice(t("admin.done"));
      current.reload();
    }}>
      <${Field} label=${t("admin.host")} name="host" value=${form} set=${setForm} required dir="ltr" />
      <${Field} label=${t("admin.port")} name="port" type="number" value=${form} set=${setForm} required />
      <${Select} label="TLS" name="tls" value=${form} set=${setForm} options=${[["STARTTLS", "STARTTLS"], ["TLS", "TLS"], ["NONE", t("admin.noTls")]]} />
      <${Field} label=${t("admin.username")} name="username" value=${form} set=${setForm} dir="ltr" />
      <${Field} label=${t("signin.password")} name="password" type="password" value=${form} set=${setForm} />
      <${Field} label=${t("admin.from")} name="fromAddress" type="email" value=${form} set=${setForm} required dir="ltr" />
    </${Form}>
  </section>`;
}

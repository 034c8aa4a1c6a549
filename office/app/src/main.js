// @ts-check
// The back office: signs the user in, lets a user of several communes choose one, and shows the screen the
// address names (`#/c/{commune}/{screen}/…`, `#/operator/{screen}`). Only what the user's roles allow is offered.

import { render } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";

import { html } from "./html.js";
import { LANGUAGE_NAMES, LANGUAGES, applyToDocument, language, setLanguage, setTimeZone, t } from "./i18n.js";
import { call, may, resume, session, signIn, signOut, useSession } from "./session.js";
import { ErrorBox, Loading, href } from "./ui.js";
import { CommuneChoice, SignIn } from "./screens/signin.js";
import { Inbox } from "./screens/inbox.js";
import { RequestFile } from "./screens/request.js";
import { CivilActView, CivilNew, CivilRegistry } from "./screens/civil.js";
import { Courier } from "./screens/courier.js";
import { Council, CouncilSessionView } from "./screens/council.js";
import { Finance } from "./screens/finance.js";
import { Petitions, Publications } from "./screens/citizens.js";
import { Moderation } from "./screens/moderation.js";
import { ApiTokens, Smtp, Users, Webhooks } from "./screens/admin.js";
import { Communes, NationalIndicatorsView, Onboard, OnboardCsv, TemplateDiffView, Upgrade } from "./screens/operator.js";
import { Staff } from "./screens/hr.js";
import { Projects } from "./screens/projects.js";
import { DisputeView, Disputes } from "./screens/disputes.js";
import { Spending } from "./screens/spending.js";
import { CashDesk, OnlinePayments } from "./screens/payments.js";

/** The screens of a commune, in menu order, with the permission each needs. */
const COMMUNE_SCREENS = [
  { path: "inbox", label: "nav.inbox", permission: "read_requests" },
  { path: "moderation", label: "nav.moderation", permission: "act_on_requests" },
  { path: "civil", label: "nav.civil", permission: "manage_civil_status" },
  { path: "courier", label: "nav.courier", permission: "manage_courier" },
  { path: "council", label: "nav.council", permission: "manage_council" },
  { path: "finance", label: "nav.finance", permission: "manage_finance" },
  { path: "petitions", label: "nav.petitions", permission: "manage_council" },
  { path: "publications", label: "nav.publications", permission: "manage_publications" },
  { path: "users", label: "nav.users", permission: "manage_access" },
  { path: "tokens", label: "nav.tokens", permission: "manage_access" },
  { path: "webhooks", label: "nav.webhooks", permission: "manage_notifications" },
  { path: "smtp", label: "nav.smtp", permission: "manage_notifications" },
  { path: "projects", label: "nav.projects", permission: "manage_projects" },
  { path: "staff", label: "nav.staff", permission: "manage_staff" },
  { path: "disputes", label: "nav.disputes", permission: "manage_disputes" },
  { path: "spending", label: "nav.spending", permission: ["record_finance", "approve_commitments"] },
  { path: "cashdesk", label: "nav.cashdesk", permission: ["collect_payments", "manage_revenue"] },
  { path: "online-payments", label: "nav.onlinePayments", permission: ["reconcile_payments", "approve_refunds"] },
];

const OPERATOR_SCREENS = [
  { path: "communes", label: "nav.communes" },
  { path: "onboard", label: "nav.onboard" },
  { path: "onboard-csv", label: "nav.onboardCsv" },
  { path: "diff", label: "nav.diff" },
  { path: "upgrade", label: "nav.upgrade" },
  { path: "indicators", label: "nav.indicators" },
];

function useHash() {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const onChange = () => setHash(location.hash);
    addEventListener("hashchange", onChange);
    return () => removeEventListener("hashchange", onChange);
  }, []);
  return hash;
}

function App() {
  const { me, expired } = useSession();
  const hash = useHash();
  // On a new screen, focus moves to the content, so that a screen reader starts there.
  const first = useRef(true);
  useEffect(() => {
    if (first.current) first.current = false;
    else document.getElementById("main")?.focus();
  }, [hash]);
  const [, setLang] = useState(language());
  const [started, setStarted] = useState(false);
  useEffect(() => {
    resume().finally(() => setStarted(true));
  }, []);
  const changeLanguage = (/** @type {any} */ lang) => {
    setLanguage(lang);
    setLang(lang);
  };
  if (!started) return html`<${Loading} />`;
  if (!me) return html`<${Frame} changeLanguage=${changeLanguage}><${SignIn} /></${Frame}>`;

  const parts = hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  let content;
  let commune = null;
  if (parts[0] === "c" && parts[1]) {
    commune = parts[1];
    content = html`<${CommuneScreen} commune=${commune} screen=${parts[2] || "inbox"} rest=${parts.slice(3)} />`;
  } else if (parts[0] === "operator" && me.operator) {
    content = html`<${OperatorScreen} screen=${parts[1] || "communes"} rest=${parts.slice(2)} />`;
  } else {
    content = html`<${CommuneChoice} />`;
  }
  return html`<${Frame} changeLanguage=${changeLanguage} commune=${commune}>
    ${content}
    ${expired ? html`<${SignInAgain} />` : null}
  </${Frame}>`;
}

/** The page around every screen: skip link, header, navigation, language, sign-out. */
function Frame({ children, changeLanguage, commune = null }) {
  const { me } = useSession();
  const [place, setPlace] = useState(/** @type {import("jamaa-sdk").Commune | null} */ (null));
  useEffect(() => {
    setPlace(null);
    if (commune && me) call((c) => c.getCommune(commune)).then(setPlace, () => setPlace(null));
  }, [commune, me, language()]);
  useEffect(() => {
    document.title = `${t("app.title")} — Jamaa`;
  });
  const screens = commune ? COMMUNE_SCREENS.filter((s) => may(commune, /** @type {any} */ (s.permission))) : [];
  const current = location.hash;
  return html`
    <a class="skip" href="#main" onClick=${(/** @type {Event} */ e) => {
      e.preventDefault();
      document.getElementById("main")?.focus();
    }}>${t("app.skip")}</a>
    <header class="top">
      <p class="brand"><a href="#/">${t("app.title")}</a></p>
      ${commune ? html`<p class="commune">${place?.name ?? commune}</p>` : null}
      <div class="tools">
        <label for="language">${t("app.language")}</label>
        <select id="language" value=${language()} onChange=${(/** @type {any} */ e) => changeLanguage(e.currentTarget.value)}>
          ${LANGUAGES.map((l) => html`<option value=${l} lang=${l} selected=${l === language()}>${LANGUAGE_NAMES[l]}</option>`)}
        </select>
        ${me
          ? html`<span class="user">${me.displayName}</span>
              <button type="button" onClick=${() => signOut().then(() => (location.hash = "#/"))}>${t("app.signOut")}</button>`
          : null}
      </div>
    </header>
    ${me && (screens.length || me.operator)
      ? html`<nav class="menu" aria-label=${t("app.menu")}>
          <ul>
            ${screens.map((s) => {
              const link = href(commune, s.path);
              return html`<li><a href=${link} aria-current=${current.startsWith(link) ? "page" : undefined}>${t(s.label)}</a></li>`;
            })}
            ${me.operator
              ? OPERATOR_SCREENS.map((s) => {
                  const link = `#/operator/${s.path}`;
                  return html`<li><a href=${link} aria-current=${current === link ? "page" : undefined}>${t(s.label)}</a></li>`;
                })
              : null}
          </ul>
        </nav>`
      : null}
    ${place?.status === "TRAINING" ? html`<p class="training" role="status">${t("app.training")}</p>` : null}
    <main id="main" tabindex="-1">${children}</main>`;
}

function CommuneScreen({ commune, screen, rest }) {
  const [place, setPlace] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    setPlace(null);
    call((c) => c.getCommune(commune)).then(
      (found) => {
        setTimeZone(found.timeZone);
        setPlace(found);
      },
      setError,
    );
  }, [commune]);
  if (error) return html`<${ErrorBox} error=${error} />`;
  if (!place) return html`<${Loading} />`;
  const found = COMMUNE_SCREENS.find((s) => s.path === screen);
  if (!found || !may(commune, /** @type {any} */ (found.permission))) {
    return html`<p role="alert">${t("app.notAllowed")}</p>`;
  }
  const props = { commune, place, rest };
  switch (screen) {
    case "inbox":
      return rest[0] ? html`<${RequestFile} ...${props} id=${rest[0]} />` : html`<${Inbox} ...${props} />`;
    case "moderation":
      return html`<${Moderation} ...${props} />`;
    case "civil":
      if (rest[0] === "new") return html`<${CivilNew} ...${props} />`;
      return rest[0] ? html`<${CivilActView} ...${props} id=${rest[0]} />` : html`<${CivilRegistry} ...${props} />`;
    case "courier":
      return html`<${Courier} ...${props} />`;
    case "projects":
      return html`<${Projects} ...${props} />`;
    case "staff":
      return html`<${Staff} ...${props} />`;
    case "disputes":
      return rest[0] ? html`<${DisputeView} ...${props} id=${rest[0]} />` : html`<${Disputes} ...${props} />`;
    case "spending":
      return html`<${Spending} ...${props} />`;
    case "cashdesk":
      return html`<${CashDesk} ...${props} />`;
    case "online-payments":
      return html`<${OnlinePayments} ...${props} />`;
    case "council":
      return rest[0] ? html`<${CouncilSessionView} ...${props} id=${rest[0]} />` : html`<${Council} ...${props} />`;
    case "finance":
      return html`<${Finance} ...${props} />`;
    case "petitions":
      return html`<${Petitions} ...${props} />`;
    case "publications":
      return html`<${Publications} ...${props} />`;
    case "users":
      return html`<${Users} ...${props} />`;
    case "tokens":
      return html`<${ApiTokens} ...${props} />`;
    case "webhooks":
      return html`<${Webhooks} ...${props} />`;
    case "smtp":
      return html`<${Smtp} ...${props} />`;
    default:
      return html`<p role="alert">${t("app.notAllowed")}</p>`;
  }
}

function OperatorScreen({ screen, rest }) {
  setTimeZone("Africa/Casablanca");
  switch (screen) {
    case "onboard":
      return html`<${Onboard} />`;
    case "diff":
      return html`<${TemplateDiffView} />`;
    case "onboard-csv":
      return html`<${OnboardCsv} />`;
    case "upgrade":
      // `#/operator/upgrade/{commune}/{name@version}` opens with both chosen (the communes' list links so);
      // the key makes a new link start afresh.
      return html`<${Upgrade} key=${rest.join("/")} commune=${rest[0] ?? ""} to=${rest[1] ?? ""} />`;
    case "indicators":
      return html`<${NationalIndicatorsView} />`;
    default:
      return html`<${Communes} />`;
  }
}

/** The session expired: sign in again over the screen, which keeps its half-filled form. */
function SignInAgain() {
  const login = session().me?.login ?? "";
  const [password, setPassword] = useState("");
  const [error, setError] = useState(null);
  const input = useRef(/** @type {HTMLInputElement | null} */ (null));
  useEffect(() => input.current?.focus(), []);
  const submit = async (/** @type {Event} */ event) => {
    event.preventDefault();
    try {
      await signIn(login, password);
    } catch (caught) {
      setError(caught);
    }
  };
  return html`<div class="overlay">
    <section role="dialog" aria-modal="true" aria-labelledby="again-title" class="dialog">
      <h2 id="again-title">${t("signin.expiredTitle")}</h2>
      <p>${t("signin.expiredText")}</p>
      <form onSubmit=${submit}>
        <p>${t("signin.login")}: <strong>${login}</strong></p>
        <div class="field">
          <label for="again-password">${t("signin.password")}</label>
          <input id="again-password" ref=${input} type="password" autocomplete="current-password" required
            value=${password} onInput=${(/** @type {any} */ e) => setPassword(e.currentTarget.value)} />
        </div>
        <${ErrorBox} error=${error} />
        <button type="submit">${t("signin.submit")}</button>
      </form>
    </section>
  </div>`;
}

applyToDocument();
const root = document.getElementById("app");
if (root) {
  root.textContent = "";
  render(html`<${App} />`, root);
}
document.documentElement.dataset.ready = "true";

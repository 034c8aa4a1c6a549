// @ts-check
// Fees paid at the counter and online.
//
// The cash desk: the counter agent finds a request's demand by the tracking code of its receipt, records a cash or
// card payment of exactly what is outstanding (a card by its terminal slip at most, never its number) and prints
// the quittance; each agent reads their day. The revenue officer reads any agent's day and cancels a payment by a
// counter-entry with its reason, whose notice prints like a quittance.
//
// Online payments: the payments controller's list of the payments started online, the provider's callbacks
// refused, the provider's statement of a day imported from its CSV file with the mismatches it lists, and refunds,
// requested by the controller and approved or rejected by another member (the authorising officer).

import { useEffect, useState } from "preact/hooks";

import { html } from "../html.js";
import { date, dateTime, money, t, today } from "../i18n.js";
import { call, may, session } from "../session.js";
import { ErrorBox, Field, Form, Loading, Notice, Select, useLoad } from "../ui.js";

/** A currency as the API gives it: a code (`MAD`), or the ISO 4217 number of the providers (`504`). */
function currencyName(/** @type {string} */ currency) {
  return { 504: "MAD", 978: "EUR" }[currency] ?? currency;
}

/** An amount with its currency, kept left to right in Arabic. */
function amount(/** @type {string | null | undefined} */ value, /** @type {string} */ currency) {
  if (value === null || value === undefined) return "—";
  return html`<span dir="ltr" class="amount">${money(value)} ${currencyName(currency)}</span>`;
}

/** Words for screen readers only: what a button of a table's row acts on ("Cancel QR-2026-000001"). */
function hidden(/** @type {string} */ text) {
  return html`<span class="visually-hidden"> ${text}</span>`;
}

/** The actor string of the signed-in user, as the API writes who recorded something (`user:{id}`). */
function myself() {
  const me = session().me;
  return me ? `user:${me.id}` : "";
}

/** Who recorded something: oneself, or the actor as the API gives it (what the day report asks for). */
function who(/** @type {string} */ actor) {
  return actor === myself() ? t("cash.you") : html`<code dir="ltr">${actor}</code>`;
}

// ---- The cash desk ----

/** @typedef {import("jamaa-sdk").Payment} Payment */
/** @typedef {import("jamaa-sdk").PaymentDemand} PaymentDemand */
/** @typedef {{payment: Payment, document: import("jamaa-sdk").PaymentDocument}} Shown */

export function CashDesk({ commune }) {
  const collects = may(commune, "collect_payments");
  const manages = may(commune, "manage_revenue");
  const [lookup, setLookup] = useState({ trackingCode: "" });
  const [demand, setDemand] = useState(/** @type {PaymentDemand | null} */ (null));
  const [shown, setShown] = useState(/** @type {Shown | null} */ (null));
  const [notice, setNotice] = useState("");
  const [error, setError] = useState(/** @type {any} */ (null));
  // The day is the commune's, as the server counts it: a browser's time zone data may put midnight elsewhere.
  const [filter, setFilter] = useState({ reportDay: "", reportAgent: "" });
  const [asked, setAsked] = useState({ day: "", agent: "" });
  const [cancelled, setCancelled] = useState(/** @type {string[]} */ ([]));
  const report = useLoad(
    () => call((c) => c.paymentsDayReport(commune, { day: asked.day || undefined, agent: asked.agent || undefined })),
    [commune, asked.day, asked.agent],
  );
  useEffect(() => {
    if (report.data && !filter.reportDay) setFilter({ ...filter, reportDay: report.data.day });
  }, [report.data]);

  /** Shows a payment's quittance (or notice of cancellation). */
  const open = async (/** @type {Payment} */ payment) => {
    setError(null);
    try {
      const document = await call((c) => c.paymentDocument(commune, payment.id));
      setShown({ payment, document });
    } catch (caught) {
      setError(caught);
    }
  };
  /** The day report of the agent who recorded `payment`, on its day. */
  const dayOf = (/** @type {Payment} */ payment) => {
    setFilter({ reportDay: payment.day, reportAgent: payment.recordedBy });
    setAsked({ day: payment.day, agent: payment.recordedBy });
    globalThis.document?.getElementById("report-title")?.scrollIntoView();
  };
  const recorded = (/** @type {import("jamaa-sdk").RecordedPayment} */ done, /** @type {string} */ message) => {
    if (!demand || demand.id === done.demand.id) setDemand(done.demand);
    setShown({ payment: done.payment, document: done.document });
    setNotice(message);
    report.reload();
  };
  const gone = new Set([
    ...cancelled,
    ...(demand?.payments ?? []).map((p) => p.cancels),
    ...(report.data?.payments ?? []).map((p) => p.cancels),
  ]);
  const payments = (/** @type {Payment[]} */ list, /** @type {string} */ caption, /** @type {boolean} */ fromDemand) =>
    html`<${PaymentList} prefix=${fromDemand ? "demand" : "report"} payments=${list} caption=${caption} manages=${manages} cancelled=${gone} open=${open}
      dayOf=${fromDemand && manages ? dayOf : null}
      cancel=${async (/** @type {Payment} */ payment, /** @type {string} */ reason) => {
        const done = await call((c) => c.cancelPayment(commune, payment.id, reason));
        setCancelled([...cancelled, payment.id]);
        recorded(done, t("cash.cancelledDone", { number: payment.number, notice: done.payment.number }));
      }} />`;

  return html`<section class="cashdesk">
    <h1>${t("cash.title")}</h1>
    <${Notice} text=${notice} />
    <${ErrorBox} error=${error} />

    <section aria-labelledby="find-title" class="no-print">
      <h2 id="find-title">${t("cash.find")}</h2>
      <${Form} submitLabel=${t("cash.show")} onSubmit=${async () => {
        setNotice("");
        setShown(null);
        setDemand(await call((c) => c.paymentDemand(commune, lookup.trackingCode.trim())));
      }}>
        <${Field} label=${t("cash.trackingCode")} name="trackingCode" value=${lookup} set=${setLookup} dir="ltr" required
          hint=${t("cash.trackingHint")} />
      </${Form}>
    </section>

    ${demand
      ? html`<section aria-labelledby="demand-title" class="demand">
          <h2 id="demand-title">${t("cash.demand", { code: demand.trackingCode })}</h2>
          <table class="list">
            <caption>${t("cash.fees")}</caption>
            <thead><tr><th scope="col">${t("cash.fee")}</th><th scope="col">${t("cash.amount")}</th>
              <th scope="col">${t("cash.basis")}</th></tr></thead>
            <tbody>${demand.lines.map((l) => html`<tr>
              <th scope="row">${l.label}</th><td>${amount(l.amount, demand.currency)}</td>
              <td>${l.communeDecision ? t("cash.communeDecision") : null}${l.communeDecision && l.legalBasis ? " — " : null}${l.legalBasis ?? null}</td>
            </tr>`)}</tbody>
          </table>
          <dl class="facts">
            <dt>${t("cash.total")}</dt><dd id="demand-total">${amount(demand.total, demand.currency)}</dd>
            <dt>${t("cash.paid")}</dt><dd id="demand-paid">${amount(demand.paid, demand.currency)}</dd>
            <dt>${t("cash.outstanding")}</dt><dd id="demand-outstanding">${amount(demand.outstanding, demand.currency)}</dd>
            <dt>${t("cash.status")}</dt><dd id="demand-status">${t(`cash.status.${demand.status}`)}</dd>
          </dl>
          ${demand.payments.length
            ? payments(demand.payments, t("cash.demandPayments"), true)
            : html`<p>${t("cash.noPayment")}</p>`}
          ${collects && demand.status === "UNPAID" && Number(demand.outstanding) > 0
            ? html`<${Collect} commune=${commune} demand=${demand}
                done=${(/** @type {any} */ done) => recorded(done, t("cash.recordedDone", { number: done.payment.number }))} />`
            : null}
        </section>`
      : null}

    ${shown ? html`<${Printable} shown=${shown} />` : null}

    <section aria-labelledby="report-title" class="no-print">
      <h2 id="report-title">${t("cash.report")}</h2>
      <${Form} submitLabel=${t("cash.showReport")} onSubmit=${async () => {
        setAsked({ day: filter.reportDay, agent: manages ? filter.reportAgent.trim() : "" });
      }}>
        <${Field} label=${t("cash.day")} name="reportDay" type="date" value=${filter} set=${setFilter} required />
        ${manages
          ? html`<${Field} label=${t("cash.agent")} name="reportAgent" value=${filter} set=${setFilter} dir="ltr"
              hint=${t("cash.agentHint")} />`
          : null}
      </${Form}>
      <${ErrorBox} error=${report.error} />
      ${report.loading ? html`<${Loading} />` : null}
      ${report.data ? html`<${DayReport} report=${report.data} payments=${payments} />` : null}
    </section>
  </section>`;
}

/** Records a cash or card payment of what the demand has outstanding. */
function Collect({ commune, demand, done }) {
  const initial = { channel: "CASH", terminalSlip: "" };
  const [pay, setPay] = useState(initial);
  // One key per filled form: a click repeated after a lost answer records the payment once.
  const [key, setKey] = useState(() => globalThis.crypto.randomUUID());
  return html`<section aria-labelledby="collect-title">
    <h3 id="collect-title">${t("cash.collect")}</h3>
    <p>${t("cash.toCollect")} <strong>${amount(demand.outstanding, demand.currency)}</strong></p>
    <${Form} submitLabel=${t("cash.record")} onSubmit=${async () => {
      const made = await call((c) => c.recordCounterPayment(commune, {
        trackingCode: demand.trackingCode,
        channel: /** @type {"CASH" | "CARD"} */ (pay.channel),
        amount: demand.outstanding,
        currency: demand.currency,
        terminalSlip: pay.channel === "CARD" && pay.terminalSlip.trim() ? pay.terminalSlip.trim() : null,
      }, { idempotencyKey: key }));
      setPay(initial);
      setKey(globalThis.crypto.randomUUID());
      done(made);
    }}>
      <${Select} label=${t("cash.channel")} name="channel" value=${pay} set=${setPay} required
        options=${[["CASH", t("cash.channel.CASH")], ["CARD", t("cash.channel.CARD")]]} />
      ${pay.channel === "CARD"
        ? html`<${Field} label=${t("cash.terminalSlip")} name="terminalSlip" value=${pay} set=${setPay} dir="ltr"
            hint=${t("cash.terminalSlipHint")} />`
        : null}
    </${Form}>
  </section>`;
}

/** Payments in a table: each one's quittance; the revenue officer cancels one with its reason. */
function PaymentList({ prefix, payments, caption, manages, cancelled, open, cancel, dayOf }) {
  const [cancelling, setCancelling] = useState(/** @type {string | null} */ (null));
  const name = `${prefix}CancelReason`;
  const [reason, setReason] = useState({ [name]: "" });
  const target = payments.find((p) => p.id === cancelling);
  return html`<table class="list payments">
      <caption>${caption}</caption>
      <thead><tr><th scope="col">${t("cash.number")}</th><th scope="col">${t("cash.kind")}</th>
        <th scope="col">${t("cash.channel")}</th><th scope="col">${t("cash.amount")}</th>
        <th scope="col">${t("cash.recordedAt")}</th><th scope="col">${t("cash.recordedBy")}</th>
        <th scope="col">${t("cash.actions")}</th></tr></thead>
      <tbody>${payments.map((p) => html`<tr>
        <th scope="row" dir="ltr">${p.number}</th>
        <td>${t(`cash.kind.${p.kind}`)}${p.reason ? html`<br /><q>${p.reason}</q>` : null}</td>
        <td>${t(`cash.channel.${p.channel}`)}${p.terminalSlip ? html` <span dir="ltr">(${p.terminalSlip})</span>` : null}</td>
        <td>${amount(p.amount, p.currency)}</td>
        <td>${dateTime(p.recordedAt)}</td>
        <td>${who(p.recordedBy)}</td>
        <td class="actions">
          ${p.verificationCode
            ? html`<button type="button" class="link" onClick=${() => open(p)}>${t(p.kind === "PAYMENT" ? "cash.quittance" : "cash.notice")}${hidden(p.number)}</button>`
            : null}
          ${dayOf && p.recordedBy !== myself()
            ? html` <button type="button" class="link" onClick=${() => dayOf(p)}>${t("cash.agentDay")}${hidden(p.number)}</button>`
            : null}
          ${manages && p.kind === "PAYMENT" && p.channel !== "ONLINE" && !cancelled.has(p.id)
            ? html` <button type="button" class="link" onClick=${() => setCancelling(p.id)}>${t("cash.cancel")}${hidden(p.number)}</button>`
            : null}
          ${cancelled.has(p.id) ? html` <span>${t("cash.cancelled")}</span>` : null}
        </td>
      </tr>`)}</tbody>
    </table>
    ${target && !cancelled.has(target.id)
      ? html`<section aria-labelledby=${`${prefix}-cancel-title`} class="cancel">
          <h3 id=${`${prefix}-cancel-title`}>${t("cash.cancelTitle", { number: target.number })}</h3>
          <p>${t("cash.cancelText")}</p>
          <${Form} submitLabel=${t("cash.cancelSubmit", { number: target.number })} onSubmit=${async () => {
            await cancel(target, reason[name]);
            setReason({ [name]: "" });
            setCancelling(null);
          }}>
            <${Field} label=${t("cash.reason")} name=${name} type="textarea" value=${reason} set=${setReason} required />
          </${Form}>
          <button type="button" class="link" onClick=${() => setCancelling(null)}>${t("cash.keep")}</button>
        </section>`
      : null}`;
}

/** The quittance or the notice of cancellation, as issued, to print. */
function Printable({ shown }) {
  const { payment, document } = shown;
  return html`<section class="printable" aria-labelledby="printable-title">
    <h2 id="printable-title">${t(payment.kind === "PAYMENT" ? "cash.quittanceNumbered" : "cash.noticeNumbered", { number: payment.number })}</h2>
    <p class="verify">${t("file.verificationCode")}: <strong dir="ltr" class="code" id="printable-code">${document.code}</strong> — <a href=${document.verifyPath} dir="ltr" target="_blank" rel="noopener">${document.verifyPath}</a>
      <span class="no-print"> (${t("cash.verifyHint")})</span>
      ${document.pdfPath ? html` <a class="no-print" id="printable-pdf" href=${document.pdfPath} download>${t("file.downloadPdf")}</a>` : null}</p>
    <pre dir="auto">${document.text}</pre>
    <button type="button" class="no-print" onClick=${() => globalThis.print()}>${t("cash.print")}</button>
  </section>`;
}

/** An agent's day: counts and totals by channel, cancellations, the cash to hand over, then each payment. */
function DayReport({ report, payments }) {
  const r = /** @type {import("jamaa-sdk").PaymentsDayReport} */ (report);
  return html`<table class="list totals">
      <caption>${t("cash.reportOf", { day: date(r.day) })} — ${who(r.agent)}</caption>
      <thead><tr><th scope="col">${t("cash.line")}</th><th scope="col">${t("cash.count")}</th>
        <th scope="col">${t("cash.amount")}</th></tr></thead>
      <tbody>
        <tr><th scope="row">${t("cash.channel.CASH")}</th><td>${r.cashCount}</td><td>${amount(r.cash, r.currency)}</td></tr>
        <tr><th scope="row">${t("cash.channel.CARD")}</th><td>${r.cardCount}</td><td>${amount(r.card, r.currency)}</td></tr>
        <tr><th scope="row">${t("cash.cancellations")}</th><td>${r.cancellationCount}</td>
          <td>${t("cash.channel.CASH")} ${amount(r.cashCancelled, r.currency)} · ${t("cash.channel.CARD")} ${amount(r.cardCancelled, r.currency)}</td></tr>
        <tr class="net"><th scope="row">${t("cash.cashNet")}</th><td></td><td id="report-cash-net">${amount(r.cashNet, r.currency)}</td></tr>
      </tbody>
    </table>
    ${r.payments.length ? payments(r.payments, t("cash.reportPayments"), false) : html`<p>${t("cash.noPaymentThatDay")}</p>`}`;
}

// ---- Online payments ----

/** @typedef {import("jamaa-sdk").PaymentStatement} PaymentStatement */

export function OnlinePayments({ commune }) {
  const reconciles = may(commune, "reconcile_payments");
  const approves = may(commune, "approve_refunds");
  const none = () => Promise.resolve(/** @type {any[]} */ ([]));
  const payments = useLoad(() => (reconciles ? call((c) => c.onlinePayments(commune, 100)) : none()), [commune]);
  const callbacks = useLoad(() => (reconciles ? call((c) => c.refusedPaymentCallbacks(commune, 50)) : none()), [commune]);
  const statements = useLoad(() => (reconciles ? call((c) => c.paymentStatements(commune)) : none()), [commune]);
  const refunds = useLoad(() => call((c) => c.paymentRefunds(commune)), [commune]);
  const [notice, setNotice] = useState("");
  const [imported, setImported] = useState(/** @type {PaymentStatement | null} */ (null));
  const [selected, setSelected] = useState(/** @type {string | null} */ (null));
  const byId = new Map((payments.data ?? []).map((p) => [p.id, p]));
  const past = (statements.data ?? []).find((s) => s.id === selected);
  const after = (/** @type {string} */ text) => {
    setNotice(text);
    payments.reload();
    refunds.reload();
  };
  return html`<section class="online">
    <h1>${t("online.title")}</h1>
    <${Notice} text=${notice} />

    ${reconciles
      ? html`<section aria-labelledby="online-list-title">
          <h2 id="online-list-title">${t("online.payments")}</h2>
          <${ErrorBox} error=${payments.error} />
          ${payments.data
            ? html`<${OnlineList} payments=${payments.data} />`
            : payments.loading ? html`<${Loading} />` : null}
        </section>

        <section aria-labelledby="statement-title">
          <h2 id="statement-title">${t("online.statement")}</h2>
          <p>${t("online.statementText")}</p>
          <${ImportStatement} commune=${commune} done=${(/** @type {PaymentStatement} */ statement) => {
            setImported(statement);
            setSelected(null);
            statements.reload();
            after(t("online.imported", { day: date(statement.day), lines: statement.lines, mismatches: statement.mismatches.length }));
          }} />
          ${imported ? html`<${Mismatches} statement=${imported} id="imported-mismatches" />` : null}
        </section>

        <section aria-labelledby="statements-title">
          <h2 id="statements-title">${t("online.statements")}</h2>
          <${ErrorBox} error=${statements.error} />
          ${statements.data?.length
            ? html`<table class="list">
                <caption>${t("online.statementsCaption")}</caption>
                <thead><tr><th scope="col">${t("online.day")}</th><th scope="col">${t("online.lines")}</th>
                  <th scope="col">${t("online.mismatchCount")}</th><th scope="col">${t("online.importedAt")}</th>
                  <th scope="col">${t("online.importedBy")}</th><th scope="col">${t("cash.actions")}</th></tr></thead>
                <tbody>${statements.data.map((s) => html`<tr>
                  <th scope="row">${date(s.day)}</th><td>${s.lines}</td><td>${s.mismatches.length}</td>
                  <td>${dateTime(s.importedAt)}</td><td>${who(s.importedBy)}</td>
                  <td>${s.mismatches.length
                    ? html`<button type="button" class="link" aria-expanded=${selected === s.id}
                        onClick=${() => setSelected(selected === s.id ? null : s.id)}>${t("online.showMismatches")}</button>`
                    : t("online.noMismatch")}</td>
                </tr>`)}</tbody>
              </table>
              ${past ? html`<${Mismatches} statement=${past} id="past-mismatches" />` : null}`
            : statements.data ? html`<p>${t("online.noStatement")}</p>` : null}
        </section>

        <section aria-labelledby="callbacks-title">
          <h2 id="callbacks-title">${t("online.callbacks")}</h2>
          <p>${t("online.callbacksText")}</p>
          <${ErrorBox} error=${callbacks.error} />
          ${callbacks.data?.length
            ? html`<table class="list">
                <caption>${t("online.callbacksCaption")}</caption>
                <thead><tr><th scope="col">${t("online.at")}</th><th scope="col">${t("online.reason")}</th>
                  <th scope="col">${t("online.order")}</th></tr></thead>
                <tbody>${callbacks.data.map((c) => html`<tr>
                  <td>${dateTime(c.at)}</td><td>${reasonText(c.reason)}</td><td dir="ltr">${c.orderId ?? "—"}</td>
                </tr>`)}</tbody>
              </table>`
            : callbacks.data ? html`<p>${t("online.noCallback")}</p>` : null}
        </section>`
      : null}

    <section aria-labelledby="refunds-title">
      <h2 id="refunds-title">${t("online.refunds")}</h2>
      <${ErrorBox} error=${refunds.error} />
      ${refunds.data
        ? html`<${Refunds} commune=${commune} refunds=${refunds.data} byId=${byId} approves=${approves}
            done=${after} />`
        : refunds.loading ? html`<${Loading} />` : null}
      ${reconciles && payments.data
        ? html`<${RequestRefund} commune=${commune} payments=${payments.data}
            done=${(/** @type {any} */ refund) => after(t("online.refundRequested", { amount: money(refund.amount) }))} />`
        : null}
    </section>
  </section>`;
}

/** A refused callback's reason in words; the API's own word when it is not one of those known. */
function reasonText(/** @type {string} */ reason) {
  const key = `online.refusal.${reason}`;
  return t(key) === key ? html`<code dir="ltr">${reason}</code>` : t(key);
}

function OnlineList({ payments }) {
  if (!payments.length) return html`<p>${t("online.noPayment")}</p>`;
  return html`<table class="list">
    <caption>${t("online.paymentsCaption")}</caption>
    <thead><tr><th scope="col">${t("online.order")}</th><th scope="col">${t("cash.amount")}</th>
      <th scope="col">${t("online.state")}</th><th scope="col">${t("online.reference")}</th>
      <th scope="col">${t("online.startedAt")}</th><th scope="col">${t("online.settledAt")}</th></tr></thead>
    <tbody>${/** @type {import("jamaa-sdk").OnlinePayment[]} */ (payments).map((p) => html`<tr>
      <th scope="row" dir="ltr">${p.orderId}</th>
      <td>${amount(p.amount, p.currency)}</td>
      <td>${t(`online.state.${p.state}`)}${p.refusalCode ? ` (${t("online.refusalCode", { code: p.refusalCode })})` : ""}</td>
      <td dir="ltr">${p.providerReference ?? "—"}</td>
      <td>${dateTime(p.startedAt)}</td>
      <td>${p.settledAt ? html`${dateTime(p.settledAt)}${p.settledBy ? ` — ${t(`online.settledBy.${p.settledBy}`)}` : ""}` : "—"}</td>
    </tr>`)}</tbody>
  </table>`;
}

/** The provider's statement of a day: a CSV file read in the browser, sent as it is. */
function ImportStatement({ commune, done }) {
  const [day, setDay] = useState({ statementDay: today() });
  const [file, setFile] = useState({ name: "", text: "" });
  return html`<${Form} submitLabel=${t("online.import")} onSubmit=${async () => {
      const statement = await call((c) => c.importPaymentStatement(commune, day.statementDay, file.text));
      done(statement);
    }}>
    <${Field} label=${t("online.statementDay")} name="statementDay" type="date" value=${day} set=${setDay} required />
    <div class="field">
      <label for="statement-file">${t("online.file")} <span aria-hidden="true">*</span></label>
      <input id="statement-file" type="file" accept=".csv,text/csv" required aria-describedby="statement-file-hint"
        onChange=${async (/** @type {any} */ e) => {
          const chosen = e.currentTarget.files?.[0];
          setFile({ name: chosen?.name ?? "", text: chosen ? await chosen.text() : "" });
        }} />
      <small id="statement-file-hint">${t("online.fileHint")}</small>
    </div>
  </${Form}>`;
}

/** The mismatches a statement lists. */
function Mismatches({ statement, id }) {
  const s = /** @type {PaymentStatement} */ (statement);
  if (!s.mismatches.length) return html`<p id=${id}>${t("online.noMismatchOn", { day: date(s.day) })}</p>`;
  return html`<table class="list mismatches" id=${id}>
    <caption>${t("online.mismatchesOf", { day: date(s.day) })}</caption>
    <thead><tr><th scope="col">${t("online.order")}</th><th scope="col">${t("online.mismatch")}</th>
      <th scope="col">${t("online.reference")}</th><th scope="col">${t("online.recordedAmount")}</th>
      <th scope="col">${t("online.statedAmount")}</th><th scope="col">${t("online.settled")}</th></tr></thead>
    <tbody>${s.mismatches.map((m) => html`<tr>
      <th scope="row" dir="ltr">${m.orderId}</th>
      <td>${t(`online.mismatch.${m.kind}`)}</td>
      <td dir="ltr">${m.providerReference ?? "—"}</td>
      <td>${m.recordedAmount === null ? "—" : amount(m.recordedAmount, "MAD")}</td>
      <td>${m.statedAmount === null ? "—" : amount(m.statedAmount, "MAD")}</td>
      <td>${m.settled ? t("online.settledNow") : t("common.no")}</td>
    </tr>`)}</tbody>
  </table>`;
}

/** The refunds, each approved or rejected by a member holding approve_refunds who did not request it. */
function Refunds({ commune, refunds, byId, approves, done }) {
  const [error, setError] = useState(/** @type {any} */ (null));
  const decide = async (/** @type {import("jamaa-sdk").PaymentRefund} */ refund, /** @type {boolean} */ approve) => {
    setError(null);
    try {
      await call((c) => c.decideRefund(commune, refund.id, approve));
      done(t(approve ? "online.refundApproved" : "online.refundRejected", { amount: money(refund.amount) }));
    } catch (caught) {
      setError(caught);
    }
  };
  if (!refunds.length) return html`<p>${t("online.noRefund")}</p>`;
  return html`<${ErrorBox} error=${error} />
    <table class="list refunds">
      <caption>${t("online.refundsCaption")}</caption>
      <thead><tr><th scope="col">${t("online.order")}</th><th scope="col">${t("cash.amount")}</th>
        <th scope="col">${t("online.reason")}</th><th scope="col">${t("online.state")}</th>
        <th scope="col">${t("online.requestedBy")}</th><th scope="col">${t("online.decidedBy")}</th>
        <th scope="col">${t("cash.actions")}</th></tr></thead>
      <tbody>${/** @type {import("jamaa-sdk").PaymentRefund[]} */ (refunds).map((r) => {
        const payment = byId.get(r.paymentId);
        return html`<tr>
          <th scope="row" dir="ltr">${payment ? payment.orderId : html`<code>${r.paymentId}</code>`}</th>
          <td>${amount(r.amount, payment?.currency ?? "MAD")}</td>
          <td>${r.reason}</td>
          <td class="refund-status">${t(`online.refund.${r.status}`)}</td>
          <td>${who(r.requestedBy)}<br />${dateTime(r.requestedAt)}</td>
          <td>${r.decidedBy ? html`${who(r.decidedBy)}<br />${dateTime(r.decidedAt)}` : "—"}</td>
          <td>${approves && r.status === "requested"
            ? r.requestedBy === myself()
              ? t("online.notYours")
              : html`<button type="button" onClick=${() => decide(r, true)}>${t("online.approve")}${hidden(`${money(r.amount)} — ${r.reason}`)}</button>
                  <button type="button" onClick=${() => decide(r, false)}>${t("online.reject")}${hidden(`${money(r.amount)} — ${r.reason}`)}</button>`
            : null}</td>
        </tr>`;
      })}</tbody>
    </table>`;
}

/** A refund requested on a paid online payment, with its amount and reason. */
function RequestRefund({ commune, payments, done }) {
  const initial = { refundPayment: "", refundAmount: "", refundReason: "" };
  const [refund, setRefund] = useState(initial);
  const paid = /** @type {import("jamaa-sdk").OnlinePayment[]} */ (payments).filter((p) => p.state === "PAID");
  if (!paid.length) return null;
  return html`<h3 id="refund-title">${t("online.requestRefund")}</h3>
    <${Form} submitLabel=${t("online.requestRefundSubmit")} onSubmit=${async () => {
      const made = await call((c) => c.requestRefund(commune, refund.refundPayment, refund.refundAmount.trim(), refund.refundReason));
      setRefund(initial);
      done(made);
    }}>
      <${Select} label=${t("online.refundPayment")} name="refundPayment" value=${refund} set=${setRefund} required
        options=${[["", "—"], ...paid.map((p) => [p.id, `${p.orderId} — ${money(p.amount)} ${currencyName(p.currency)}`])]} />
      <${Field} label=${t("online.refundAmount")} name="refundAmount" value=${refund} set=${setRefund} dir="ltr" required
        hint=${t("online.refundAmountHint")} />
      <${Field} label=${t("online.reason")} name="refundReason" type="textarea" value=${refund} set=${setRefund} required />
    </${Form}>`;
}

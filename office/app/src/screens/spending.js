// @ts-check
// Expenditures and revenues recorded: the finance officer commits against an expense line, pays what was
// ordered, issues revenue titles and records their collections; the authorising officer approves commitments
// (not those they recorded) and orders their payment. Each line shows its execution, imported plus recorded.

import { useState } from "preact/hooks";

import { html } from "../html.js";
import { arFr, money, t } from "../i18n.js";
import { call, may } from "../session.js";
import { ErrorBox, Field, Form, Loading, Select, useLoad } from "../ui.js";

/** `chapter.article.paragraph` of a line. */
function code(/** @type {{chapter: string, article: string, paragraph: string}} */ l) {
  return [l.chapter, l.article, l.paragraph].filter(Boolean).join(".");
}

export function Spending({ commune }) {
  const [year, setYear] = useState({ spendingYear: String(new Date().getFullYear() - 1) });
  const ledger = useLoad(() => call((c) => c.financeLedger(commune, Number(year.spendingYear))), [commune, year.spendingYear]);
  const [commitment, setCommitment] = useState({ commitLine: "", commitAmount: "", commitObject: "", commitSupplier: "" });
  const [approval, setApproval] = useState({ approveId: "" });
  const [order, setOrder] = useState({ orderId: "", orderAmount: "" });
  const [payment, setPayment] = useState({ payId: "", payAmount: "" });
  const [title, setTitle] = useState({ titleLine: "", titleAmount: "", titleObject: "", titleDebtor: "" });
  const [collection, setCollection] = useState({ collectId: "", collectAmount: "" });
  const [done, setDone] = useState("");
  const records = may(commune, "record_finance");
  const approves = may(commune, "approve_commitments");
  const data = ledger.data;
  const lines = data?.lines ?? [];
  const entries = data?.entries ?? [];
  const byId = new Map(entries.map((e) => [e.id, e]));
  const lineOptions = (/** @type {string} */ kind) => [["", "—"], ...lines
    .filter((l) => l.imported.kind === kind)
    .map((l) => [code(l.imported), `${code(l.imported)} ${arFr(l.imported.labelAr, l.imported.labelFr)}`])];
  const ref = (/** @type {string} */ value) => {
    const [chapter, article, paragraph = ""] = value.split(".");
    return { year: Number(year.spendingYear), chapter, article, paragraph };
  };
  /** An entry as its kind and number, written as the page's language writes them. */
  const entry = (/** @type {any} */ e) => t("spending.numbered", { kind: t(`spending.kind.${e.kind}`), number: e.number });
  const entryOptions = (/** @type {(e: any) => boolean} */ keep) => [["", "—"], ...entries
    .filter(keep)
    .map((e) => [e.id, `${entry(e)} — ${money(e.net)} ${e.party ?? ""}`])];
  const after = (/** @type {string} */ message) => {
    setDone(message);
    ledger.reload();
  };
  return html`<section>
    <h1>${t("spending.title")}</h1>
    ${done ? html`<p role="status">${done}</p>` : null}
    <${Field} label=${t("finance.year")} name="spendingYear" type="number" value=${year} set=${setYear} />
    <${ErrorBox} error=${ledger.error} />
    ${data
      ? html`<table class="list">
          <caption>${t("spending.execution", { currency: data.currency })}</caption>
          <thead><tr><th scope="col">${t("spending.line")}</th><th scope="col">${t("finance.appropriated")}</th>
            <th scope="col">${t("spending.committed")}</th><th scope="col">${t("finance.paid")}</th>
            <th scope="col">${t("finance.planned")}</th><th scope="col">${t("finance.collected")}</th></tr></thead>
          <tbody>${lines.map((l) => html`<tr>
            <th scope="row"><span dir="ltr">${code(l.executed)}</span> ${arFr(l.executed.labelAr, l.executed.labelFr)}</th>
            <td dir="ltr">${money(l.executed.appropriated)}</td><td dir="ltr">${money(l.executed.committed)}</td>
            <td dir="ltr">${money(l.executed.paid)}</td><td dir="ltr">${money(l.executed.planned)}</td>
            <td dir="ltr">${money(l.executed.collected)}</td>
          </tr>`)}</tbody>
        </table>
        <table class="list">
          <caption>${t("spending.entries")}</caption>
          <thead><tr><th scope="col">${t("spending.entry")}</th><th scope="col">${t("spending.amount")}</th>
            <th scope="col">${t("spending.party")}</th><th scope="col">${t("spending.state")}</th></tr></thead>
          <tbody>${entries.map((e) => html`<tr>
            <td>${entry(e)}${e.parentId && byId.get(e.parentId) ? ` (${entry(byId.get(e.parentId))})` : ""}</td>
            <td dir="ltr">${money(e.net)}</td><td>${e.party ?? e.reason ?? ""}</td>
            <td>${e.kind === "COMMITMENT" ? (e.approved ? t("spending.approved") : t("spending.awaiting")) : ""}</td>
          </tr>`)}</tbody>
        </table>`
      : html`<${Loading} />`}

    ${records
      ? html`<h2>${t("spending.newCommitment")}</h2>
        <${Form} submitLabel=${t("spending.commit")} onSubmit=${async () => {
          const made = await call((c) => c.recordCommitment(commune, { line: ref(commitment.commitLine),
            amount: commitment.commitAmount, object: commitment.commitObject, supplier: commitment.commitSupplier }));
          setCommitment({ commitLine: "", commitAmount: "", commitObject: "", commitSupplier: "" });
          after(t("spending.committedDone", { number: made.number }));
        }}>
          <${Select} label=${t("spending.expenseLine")} name="commitLine" value=${commitment} set=${setCommitment} required options=${lineOptions("EXPENSE")} />
          <${Field} label=${t("spending.commitAmount")} name="commitAmount" value=${commitment} set=${setCommitment} dir="ltr" required />
          <${Field} label=${t("spending.object")} name="commitObject" value=${commitment} set=${setCommitment} required />
          <${Field} label=${t("spending.supplier")} name="commitSupplier" value=${commitment} set=${setCommitment} required />
        </${Form}>`
      : null}

    ${approves
      ? html`<h2>${t("spending.approval")}</h2>
        <${Form} submitLabel=${t("spending.approve")} onSubmit=${async () => {
          const approved = await call((c) => c.approveCommitment(commune, approval.approveId));
          setApproval({ approveId: "" });
          after(t("spending.approvedDone", { number: approved.number }));
        }}>
          <${Select} label=${t("spending.commitment")} name="approveId" value=${approval} set=${setApproval} required
            options=${entryOptions((e) => e.kind === "COMMITMENT" && !e.approved)} />
        </${Form}>
        <${Form} submitLabel=${t("spending.order")} onSubmit=${async () => {
          const made = await call((c) => c.orderPayment(commune, order.orderId, order.orderAmount));
          setOrder({ orderId: "", orderAmount: "" });
          after(t("spending.orderedDone", { number: made.number }));
        }}>
          <${Select} label=${t("spending.approvedCommitment")} name="orderId" value=${order} set=${setOrder} required
            options=${entryOptions((e) => e.kind === "COMMITMENT" && e.approved)} />
          <${Field} label=${t("spending.orderAmount")} name="orderAmount" value=${order} set=${setOrder} dir="ltr" required />
        </${Form}>`
      : null}

    ${records
      ? html`<h2>${t("spending.payments")}</h2>
        <${Form} submitLabel=${t("spending.pay")} onSubmit=${async () => {
          const made = await call((c) => c.recordPayment(commune, payment.payId, payment.payAmount));
          setPayment({ payId: "", payAmount: "" });
          after(t("spending.paidDone", { number: made.number }));
        }}>
          <${Select} label=${t("spending.paymentOrder")} name="payId" value=${payment} set=${setPayment} required
            options=${entryOptions((e) => e.kind === "PAYMENT_ORDER")} />
          <${Field} label=${t("spending.payAmount")} name="payAmount" value=${payment} set=${setPayment} dir="ltr" required />
        </${Form}>

        <h2>${t("spending.revenues")}</h2>
        <${Form} submitLabel=${t("spending.issueTitle")} onSubmit=${async () => {
          const made = await call((c) => c.recordRevenueTitle(commune, { line: ref(title.titleLine),
            amount: title.titleAmount, object: title.titleObject, debtor: title.titleDebtor }));
          setTitle({ titleLine: "", titleAmount: "", titleObject: "", titleDebtor: "" });
          after(t("spending.titleDone", { number: made.number }));
        }}>
          <${Select} label=${t("spending.revenueLine")} name="titleLine" value=${title} set=${setTitle} required options=${lineOptions("REVENUE")} />
          <${Field} label=${t("spending.titleAmount")} name="titleAmount" value=${title} set=${setTitle} dir="ltr" required />
          <${Field} label=${t("spending.titleObject")} name="titleObject" value=${title} set=${setTitle} required />
          <${Field} label=${t("spending.debtor")} name="titleDebtor" value=${title} set=${setTitle} required />
        </${Form}>
        <${Form} submitLabel=${t("spending.collect")} onSubmit=${async () => {
          const made = await call((c) => c.recordCollection(commune, collection.collectId, collection.collectAmount));
          setCollection({ collectId: "", collectAmount: "" });
          after(t("spending.collectedDone", { number: made.number }));
        }}>
          <${Select} label=${t("spending.revenueTitle")} name="collectId" value=${collection} set=${setCollection} required
            options=${entryOptions((e) => e.kind === "TITLE")} />
          <${Field} label=${t("spending.collectAmount")} name="collectAmount" value=${collection} set=${setCollection} dir="ltr" required />
        </${Form}>`
      : null}
  </section>`;
}

// @ts-check
// The commune's human resources: the staff directory (who is away today), the organisation chart, a new staff
// record linked to a member's account, and leave, which keeps the person out of the assignment of files.

import { useState } from "preact/hooks";

import { html } from "../html.js";
import { date, t } from "../i18n.js";
import { call } from "../session.js";
import { ErrorBox, Field, Form, Loading, Select, useLoad } from "../ui.js";

export function Staff({ commune }) {
  const directory = useLoad(() => call((c) => c.staffDirectory(commune)), [commune]);
  const departments = useLoad(() => call((c) => c.departments(commune)), [commune]);
  const types = useLoad(() => call((c) => c.leaveTypes(commune)), [commune]);
  const [department, setDepartment] = useState({ departmentName: "", parentId: "" });
  const [record, setRecord] = useState({
    fullName: "", grade: "", position: "", departmentId: "", enteredOn: "", userLogin: "",
    nationalId: "", birthDate: "", address: "", phone: "",
  });
  const [leave, setLeave] = useState({ staffId: "", kind: "", startsOn: "", endsOn: "" });
  const [done, setDone] = useState("");
  const names = new Map((departments.data ?? []).map((d) => [d.id, d.name]));
  const reload = () => {
    directory.reload();
    departments.reload();
  };
  const departmentOptions = [["", t("hr.noDepartment")], ...(departments.data ?? []).map((d) => [d.id, d.name])];
  return html`<section>
    <h1>${t("hr.title")}</h1>
    ${done ? html`<p role="status">${done}</p>` : null}
    <${ErrorBox} error=${directory.error} />
    ${directory.data
      ? html`<table class="list">
          <caption>${t("hr.directory")}</caption>
          <thead><tr><th scope="col">${t("hr.fullName")}</th><th scope="col">${t("hr.position")}</th><th scope="col">${t("hr.department")}</th><th scope="col">${t("hr.account")}</th><th scope="col">${t("hr.presence")}</th></tr></thead>
          <tbody>${directory.data.map((p) => html`<tr class=${p.absent ? "late" : ""}>
            <td>${p.fullName}</td><td>${p.position}</td><td>${p.departmentId ? names.get(p.departmentId) ?? "" : ""}</td>
            <td dir="ltr">${p.account?.login ?? ""}</td>
            <td>${p.absent ? t("hr.awayUntil", { day: date(p.awayUntil) }) : t("hr.present")}</td>
          </tr>`)}</tbody>
        </table>`
      : html`<${Loading} />`}

    <h2>${t("hr.chart")}</h2>
    <${ErrorBox} error=${departments.error} />
    ${departments.data ? html`<${Chart} departments=${departments.data} parent=${null} />` : null}
    <${Form} submitLabel=${t("hr.addDepartment")} onSubmit=${async () => {
      const added = await call((c) => c.addDepartment(commune, { name: department.departmentName, parentId: department.parentId || null }));
      setDepartment({ departmentName: "", parentId: "" });
      setDone(t("hr.departmentAdded", { name: added.name }));
      reload();
    }}>
      <${Field} label=${t("hr.departmentName")} name="departmentName" value=${department} set=${setDepartment} required />
      <${Select} label=${t("hr.parent")} name="parentId" value=${department} set=${setDepartment} options=${departmentOptions} />
    </${Form}>

    <h2>${t("hr.newRecord")}</h2>
    <${Form} submitLabel=${t("hr.createRecord")} onSubmit=${async () => {
      const optional = (/** @type {string} */ v) => v.trim() || null;
      const created = await call((c) => c.createStaffRecord(commune, {
        fullName: record.fullName, grade: record.grade, position: record.position, enteredOn: record.enteredOn,
        departmentId: record.departmentId || null, userLogin: optional(record.userLogin),
        nationalId: optional(record.nationalId), birthDate: record.birthDate || null,
        address: optional(record.address), phone: optional(record.phone),
      }));
      setRecord({ fullName: "", grade: "", position: "", departmentId: "", enteredOn: "", userLogin: "", nationalId: "", birthDate: "", address: "", phone: "" });
      setDone(t("hr.recordCreated", { name: created.fullName }));
      reload();
    }}>
      <${Field} label=${t("hr.fullName")} name="fullName" value=${record} set=${setRecord} required />
      <${Field} label=${t("hr.grade")} name="grade" value=${record} set=${setRecord} required />
      <${Field} label=${t("hr.position")} name="position" value=${record} set=${setRecord} required />
      <${Select} label=${t("hr.department")} name="departmentId" value=${record} set=${setRecord} options=${departmentOptions} />
      <${Field} label=${t("hr.enteredOn")} name="enteredOn" type="date" value=${record} set=${setRecord} required />
      <${Field} label=${t("hr.userLogin")} name="userLogin" value=${record} set=${setRecord} dir="ltr" hint=${t("hr.userLoginHint")} />
      <fieldset>
        <legend>${t("hr.personal")}</legend>
        <${Field} label=${t("hr.nationalId")} name="nationalId" value=${record} set=${setRecord} dir="ltr" />
        <${Field} label=${t("hr.birthDate")} name="birthDate" type="date" value=${record} set=${setRecord} />
        <${Field} label=${t("hr.address")} name="address" value=${record} set=${setRecord} />
        <${Field} label=${t("hr.phone")} name="phone" value=${record} set=${setRecord} dir="ltr" />
      </fieldset>
    </${Form}>

    <h2>${t("hr.leave")}</h2>
    <${ErrorBox} error=${types.error} />
    <${Form} submitLabel=${t("hr.recordLeave")} onSubmit=${async () => {
      await call((c) => c.recordLeave(commune, leave.staffId, { kind: leave.kind, startsOn: leave.startsOn, endsOn: leave.endsOn }));
      const person = directory.data?.find((p) => p.staffId === leave.staffId);
      setLeave({ staffId: "", kind: "", startsOn: "", endsOn: "" });
      setDone(t("hr.leaveRecorded", { name: person?.fullName ?? "" }));
      reload();
    }}>
      <${Select} label=${t("hr.person")} name="staffId" value=${leave} set=${setLeave} required
        options=${[["", "—"], ...(directory.data ?? []).map((p) => [p.staffId, p.fullName])]} />
      <${Select} label=${t("hr.leaveKind")} name="kind" value=${leave} set=${setLeave} required
        options=${[["", "—"], ...(types.data ?? []).map((k) => [k.key, k.label])]} />
      <${Field} label=${t("hr.startsOn")} name="startsOn" type="date" value=${leave} set=${setLeave} required />
      <${Field} label=${t("hr.endsOn")} name="endsOn" type="date" value=${leave} set=${setLeave} required />
    </${Form}>
  </section>`;
}

/** The departments under `parent`, as nested lists. */
function Chart({ departments, parent }) {
  const here = departments.filter((d) => (d.parentId ?? null) === parent);
  if (!here.length) return null;
  return html`<ul class="chart">${here.map((d) => html`<li>${d.name}<${Chart} departments=${departments} parent=${d.id} /></li>`)}</ul>`;
}

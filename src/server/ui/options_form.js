// The export options, rendered from the options schema the server publishes (GET options): one
// fieldset per "x-group", one labelled control per property, its description as help text. The
// page names no option itself; a new option in the schema appears here without a change.
//
// Controls start at the option's default. values() returns only the options the user changed,
// so the server's defaults (and its validation) stay the single source of truth.

import { h, controlId } from "./dom.js";

const OTHER_GROUP = "Other options";

// JSON Schema "type" may be a list such as ["integer", "null"]; the first non-null one decides
// the control.
function typeOf(schema) {
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return types.find((type) => type && type !== "null") || (schema.enum ? "string" : "string");
}

// "max_tokens" -> "Max tokens"; the JSON name itself is shown beside it for API users.
function labelFor(name, schema) {
  if (schema.title) return schema.title;
  const words = name.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function sameValue(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

// One kind of control per schema type; each knows how to show a value and read it back.
const CONTROLS = {
  boolean: {
    create: (id, schema) => h("input", { id, type: "checkbox", checked: schema.default === true }),
    read: (control) => control.checked,
  },
  enum: {
    create: (id, schema, required) => {
      const select = h("select", { id });
      if (!required && schema.default === undefined) select.append(h("option", { value: "" }, "(not set)"));
      for (const choice of schema.enum) {
        if (choice === null) continue;
        select.append(h("option", { value: String(choice) }, choice === "" ? "(not set)" : String(choice)));
      }
      if (schema.default !== undefined && schema.default !== null) select.value = String(schema.default);
      return select;
    },
    read: (control, schema) => {
      if (control.value === "") return undefined;
      const match = schema.enum.find((choice) => String(choice) === control.value);
      return match === undefined ? control.value : match;
    },
  },
  // A list whose items come from a fixed set: one checkbox per choice.
  choices: {
    create: (id, schema) => {
      const chosen = new Set(Array.isArray(schema.default) ? schema.default : []);
      return h("div", { id, class: "choices", role: "group" }, schema.items.enum.map((choice) => {
        const boxId = `${id}-${choice}`;
        return h("span", { class: "choice" },
          h("input", { id: boxId, type: "checkbox", value: choice, checked: chosen.has(choice) }),
          h("label", { for: boxId }, choice));
      }));
    },
    read: (control) => [...control.querySelectorAll("input:checked")].map((box) => box.value),
  },
  integer: {
    create: (id, schema) => numberInput(id, schema, "1"),
    read: (control) => readNumber(control, true),
  },
  number: {
    create: (id, schema) => numberInput(id, schema, "any"),
    read: (control) => readNumber(control, false),
  },
  array: {
    create: (id, schema) => h("input", {
      id, type: "text", autocomplete: "off", spellcheck: "false",
      value: Array.isArray(schema.default) ? schema.default.join(", ") : "",
      placeholder: "comma-separated",
    }),
    read: (control, schema) => {
      const items = control.value.split(",").map((item) => item.trim()).filter((item) => item !== "");
      const itemType = schema.items ? typeOf(schema.items) : "string";
      if (itemType !== "integer" && itemType !== "number") return items;
      return items.map((item) => {
        const n = Number(item);
        if (!Number.isFinite(n)) throw new Error(`"${item}" is not a number`);
        return n;
      });
    },
  },
  string: {
    create: (id, schema) => h("input", {
      id, type: "text", autocomplete: "off", spellcheck: "false",
      value: typeof schema.default === "string" ? schema.default : "",
    }),
    read: (control) => (control.value === "" ? undefined : control.value),
  },
  object: {
    create: (id, schema) => h("input", {
      id, type: "text", autocomplete: "off", spellcheck: "false",
      value: schema.default !== undefined ? JSON.stringify(schema.default) : "",
      placeholder: "JSON",
    }),
    read: (control) => {
      if (control.value.trim() === "") return undefined;
      try {
        return JSON.parse(control.value);
      } catch {
        throw new Error("is not valid JSON");
      }
    },
  },
};

function numberInput(id, schema, step) {
  return h("input", {
    id, type: "number", step, inputmode: step === "1" ? "numeric" : "decimal",
    min: schema.minimum, max: schema.maximum,
    value: typeof schema.default === "number" ? String(schema.default) : "",
  });
}

function readNumber(control, integer) {
  if (control.value.trim() === "") return undefined;
  const n = Number(control.value);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n))) {
    throw new Error(integer ? "must be a whole number" : "must be a number");
  }
  return n;
}

function kindOf(schema) {
  if (Array.isArray(schema.enum)) return "enum";
  const type = typeOf(schema);
  if (type === "array" && schema.items && Array.isArray(schema.items.enum)) return "choices";
  return CONTROLS[type] ? type : "string";
}

// The properties in declaration order: by "x-order" when the schema gives one (a JSON object's
// keys may come back sorted), else as listed.
function orderedProperties(schema) {
  const entries = Object.entries(schema.properties || {});
  const order = (entry) => (Number.isFinite(entry[1]["x-order"]) ? entry[1]["x-order"] : Infinity);
  return entries.map((entry, index) => [entry, index])
    .sort((a, b) => order(a[0]) - order(b[0]) || a[1] - b[1])
    .map(([entry]) => entry);
}

// Groups in the order the schema lists them ("x-groups"), else in the order first met.
function groupOrder(schema, met) {
  const listed = Array.isArray(schema["x-groups"]) ? schema["x-groups"].filter((group) => met.includes(group)) : [];
  return [...listed, ...met.filter((group) => !listed.includes(group))];
}

export class OptionsForm {
  // container: the element the fieldsets go in; hidden: option names another part of the page
  // edits (the inputs list, the template editor); onChange(name, decidesOutput).
  constructor(container, schema, { hidden = [], onChange = () => {} } = {}) {
    this.container = container;
    this.fields = new Map();
    this.groups = new Map();  // group name -> {details, count, names}
    const required = new Set(schema.required || []);
    const groups = new Map();
    for (const [name, optionSchema] of orderedProperties(schema)) {
      if (hidden.includes(name) || optionSchema.readOnly) continue;
      const group = optionSchema["x-group"] || OTHER_GROUP;
      if (!groups.has(group)) groups.set(group, []);
      groups.get(group).push(name);
      const changed = () => {
        this.updateCount(group);
        onChange(name, optionSchema["x-decides-output"] === true);
      };
      this.fields.set(name, this.field(name, optionSchema, required.has(name), changed));
      this.fields.get(name).group = group;
    }
    // Each group folds away (there are many options); its summary says how many are changed.
    for (const group of groupOrder(schema, [...groups.keys()])) {
      const names = groups.get(group);
      const count = h("span", { class: "changed-count" });
      const details = h("details", { class: "option-group" },
        h("summary", {}, h("span", { class: "group-name" }, group), " ", count),
        h("div", { role: "group", "aria-label": group, class: "group-fields" },
          names.map((name) => this.fields.get(name).row)));
      this.groups.set(group, { details, count, names });
      container.append(details);
    }
  }

  updateCount(group) {
    const { count, names } = this.groups.get(group);
    const changed = names.filter((name) => this.changed(name)).length;
    count.textContent = changed ? `(${changed} changed)` : "";
  }

  // Whether an option holds something other than its default (an unreadable value counts).
  changed(name) {
    const field = this.fields.get(name);
    try {
      const value = CONTROLS[field.kind].read(field.control, field.schema);
      if (value === undefined) return false;
      if (field.schema.default !== undefined) return !sameValue(value, field.schema.default);
      return !(value === false || (Array.isArray(value) && value.length === 0));
    } catch {
      return true;
    }
  }

  // -> {control, schema, kind, errorId, row}: one labelled control with its help and error text.
  field(name, schema, required, changed) {
    const id = controlId("opt", name);
    const kind = kindOf(schema);
    const control = CONTROLS[kind].create(id, schema, required);
    control.name = name;
    control.dataset.option = name;
    const helpId = `${id}-help`;
    const errorId = `${id}-error`;
    const help = [];
    if (schema.description) help.push(/[.!?]$/.test(schema.description) ? schema.description : `${schema.description}.`);
    if (schema.default !== undefined && schema.default !== null && schema.default !== "" && kind !== "boolean") {
      help.push(`Default: ${Array.isArray(schema.default) ? schema.default.join(", ") || "none" : schema.default}.`);
    }
    control.setAttribute("aria-describedby", `${helpId} ${errorId}`);
    control.addEventListener(kind === "boolean" || kind === "enum" || kind === "choices" ? "change" : "input", () => {
      this.clearError(name);
      changed();
    });
    const caption = [labelFor(name, schema), " ", h("code", { class: "json-name" }, name)];
    let row;
    if (kind === "boolean") {
      row = h("div", { class: "option option-check" }, control, h("label", { for: id }, caption));
    } else if (kind === "choices") {
      const captionId = `${id}-label`;
      control.setAttribute("aria-labelledby", captionId);
      row = h("div", { class: "option" }, h("span", { class: "caption", id: captionId }, caption), control);
    } else {
      row = h("div", { class: "option" }, h("label", { for: id }, caption), control);
    }
    row.append(h("p", { class: "help", id: helpId }, help.join(" ")),
               h("p", { class: "field-error", id: errorId, role: "alert" }));
    return { control, schema, kind, errorId, row };
  }

  has(name) {
    return this.fields.has(name);
  }

  control(name) {
    return this.fields.get(name)?.control;
  }

  // Offers suggestions for a text option (a datalist), e.g. the tokenizers the server knows;
  // the user can still type any other value.
  setChoices(name, choices) {
    const field = this.fields.get(name);
    if (!field || field.kind !== "string") return;
    const listId = `${field.control.id}-choices`;
    const list = h("datalist", { id: listId }, choices.map((choice) => h("option", { value: choice })));
    field.control.setAttribute("list", listId);
    field.control.after(list);
  }

  // {name: value} of every option that differs from its default; throws {option, message} when a
  // control holds something that is not a value of its type (and marks that control).
  values() {
    const result = {};
    for (const [name, field] of this.fields) {
      if (!this.changed(name)) continue;
      let value;
      try {
        value = CONTROLS[field.kind].read(field.control, field.schema);
      } catch (error) {
        this.showError(name, error.message);
        throw Object.assign(new Error(`${name} ${error.message}`), { option: name });
      }
      result[name] = value;
    }
    return result;
  }

  showError(name, message) {
    const field = this.fields.get(name);
    if (!field) return false;
    this.groups.get(field.group).details.open = true;
    field.control.setAttribute("aria-invalid", "true");
    if (!field.control.matches("input, select, textarea")) field.control.tabIndex = -1;
    document.getElementById(field.errorId).textContent = message;
    return true;
  }

  clearError(name) {
    const field = this.fields.get(name);
    if (!field) return;
    field.control.removeAttribute("aria-invalid");
    document.getElementById(field.errorId).textContent = "";
  }

  clearErrors() {
    for (const name of this.fields.keys()) this.clearError(name);
  }
}

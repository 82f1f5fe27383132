// Building the page's elements. Every piece of data reaches the document as a text node
// (textContent) or an attribute value, never as markup, so nothing from the server or from a
// file name can inject HTML.

// h("li", {class: "x", "aria-label": name}, "text", childElement) -> element
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") {
      element.addEventListener(name.slice(2), value);
    } else if (name in PROPERTIES) {
      element[PROPERTIES[name]] = value;
    } else {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  append(element, children);
  return element;
}

// Attributes that are properties on the element (setting them as attributes would only set
// the initial state).
const PROPERTIES = { value: "value", checked: "checked", textContent: "textContent" };

function append(element, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

// Replaces an element's children.
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

export function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`page element #${id} is missing`);
  return element;
}

// Runs fn once the caller has been quiet for `ms` (typing, option edits).
export function debounce(fn, ms) {
  let timer = 0;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

// A stable id for generated controls: "opt-max_tokens".
export function controlId(prefix, name) {
  return `${prefix}-${String(name).replace(/[^A-Za-z0-9_-]/g, "_")}`;
}

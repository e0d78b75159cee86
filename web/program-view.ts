// The loop body as code, from twolayer's PROGRAM (the entries training runs): one list item per
// kernel call, holding the numpy lines it computes; the one that ran last is highlighted, the next
// one marked.
import { PROGRAM } from "twolayer";

export class ProgramView {
  private readonly items: HTMLLIElement[];

  constructor(list: HTMLOListElement) {
    list.replaceChildren();
    this.items = PROGRAM.map((entry, i) => {
      const item = document.createElement("li");
      item.dataset.index = String(i);
      item.dataset.writes = entry.writes;
      for (const text of entry.numpy) {
        const code = document.createElement("code");
        code.textContent = text;
        item.append(code);
      }
      list.append(item);
      return item;
    });
    // The tutorial's blank line between the backward pass and the update.
    this.items[PROGRAM.findIndex((e) => e.writes === "w1")]?.classList.add("gap");
  }

  /** Marks entry `ran` as the one that just ran and `next` as the one Step runs. */
  show(ran: number, next: number): void {
    this.items.forEach((item, i) => {
      item.classList.toggle("ran", i === ran);
      item.classList.toggle("next", i === next);
      if (i === next) item.setAttribute("aria-current", "step");
      else item.removeAttribute("aria-current");
    });
  }
}

/** The numpy text of entry `i`, lines joined by "; ". */
export function lineText(i: number): string {
  return PROGRAM[i].numpy.join("; ");
}

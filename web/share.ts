// What the page hands out: files to download (the weights' .npz, the losses as CSV and JSON) and
// the link to this state.
import { pythonFloat } from "twolayer";

/** Saves `data` as a file named `name` through a temporary link. */
export function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The losses as CSV: a header, then `t,loss` with each loss as Python prints it (it reads back exactly). */
export function lossesCsv(losses: ArrayLike<number>): string {
  const rows = ["iteration,loss"];
  for (let t = 0; t < losses.length; t++) rows.push(`${t},${pythonFloat(losses[t])}`);
  return `${rows.join("\n")}\n`;
}

/** The losses as JSON, with what made them (JSON's numbers read back exactly too). */
export function lossesJson(losses: ArrayLike<number>, made: Record<string, unknown>): string {
  return `${JSON.stringify({ ...made, losses: Array.from(losses) })}\n`;
}

/** Copies `text` to the clipboard; false where the browser refuses. */
export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

// What `import m from "….wasm"` gives in edge runtimes (workerd, wrangler): a compiled module.
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}

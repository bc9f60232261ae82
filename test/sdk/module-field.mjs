// Resolve hook for register.mjs: @embeddedchat/api and @embeddedchat/auth
// resolve to their "module" build.
const moduleBuilds = new Set(['@embeddedchat/api', '@embeddedchat/auth']);

export async function resolve(specifier, context, next) {
  if (moduleBuilds.has(specifier)) {
    return next(`${specifier}/dist/index.mjs`, context);
  }
  return next(specifier, context);
}

#pragma once
// How fraudgov-dev extends the production runtime: it becomes its own identity provider
// (key under ./var, JWKS at /.well-known/jwks.json) and serves the test-token routes.

#include <memory>

#include "app/runtime.h"
#include "devtools/dev_issuer.h"

namespace fraudgov::devtools {

// Owns the issuer the hooks refer to; must outlive the Runtime it was passed to.
class DevEnvironment {
 public:
  // `clock` dates the minted tokens; pass the runtime's clock (it must outlive this object).
  explicit DevEnvironment(const Clock& clock = systemClock()) : clock_(clock) {}
  app::DevExtension extension();

 private:
  Status configure(app::Config& config, unsigned short port);
  Status addRoutes(const app::Config& config, http::Router& router);

  const Clock& clock_;
  std::optional<DevIssuer> issuer_;
};

std::string devKeyPath(const app::Config& config);
// Issuer and JWKS URL of the development issuer once the listener's port is known.
void pointAuthAtDevIssuer(app::Config& config, unsigned short bound_port);

}  // namespace fraudgov::devtools

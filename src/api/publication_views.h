#pragma once
// JSON representations of rulesets, their versions and field-registry manifests, field for
// field compatible with predecessor-openapi.json (fraudgov only adds members).

#include <boost/json/object.hpp>

#include "service/ruleset_service.h"
#include "store/field_registry_store.h"

namespace fraudgov::api {

boost::json::object rulesetJson(const domain::Ruleset& r);
boost::json::object rulesetVersionJson(const service::RulesetVersionView& v);
boost::json::object compilePreviewJson(const service::CompilePreview& preview);
boost::json::object registryManifestJson(const store::RegistryManifest& m);
// GET /field-registry: the latest manifest, or the predecessor's empty shape when none exists.
boost::json::object latestRegistryJson(const std::optional<store::RegistryManifest>& m);

}  // namespace fraudgov::api

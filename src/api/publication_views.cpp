#include "api/publication_views.h"

#include "api/views.h"
#include "common/json.h"

namespace fraudgov::api {

boost::json::object rulesetJson(const domain::Ruleset& r) {
  return {{"ruleset_id", r.ruleset_id},
          {"environment", r.environment},
          {"region", r.region},
          {"country", r.country},
          {"rule_type", domain::ruleTypeName(r.rule_type)},
          {"name", jsonOrNull(r.name)},
          {"description", jsonOrNull(r.description)},
          {"created_by", r.created_by},
          {"created_at", formatIso(r.created_at)},
          {"updated_at", formatIso(r.updated_at)}};
}

boost::json::object rulesetVersionJson(const service::RulesetVersionView& view) {
  const domain::RulesetVersion& v = view.version;
  boost::json::array members;
  for (const auto& m : view.members) {
    members.push_back({{"rule_version_id", m.rule_version_id},
                       {"rule_id", m.rule_id},
                       {"version", m.version},
                       {"rule_name", m.rule_name},
                       {"rule_type", domain::ruleTypeName(m.rule_type)},
                       {"priority", m.priority},
                       {"scope", m.scope},
                       {"status", domain::versionStatusName(m.status)}});
  }
  return {{"ruleset_version_id", v.ruleset_version_id},
          {"ruleset_id", v.ruleset_id},
          {"version", v.version},
          {"status", domain::versionStatusName(v.status)},
          {"created_by", v.created_by},
          {"created_at", formatIso(v.created_at)},
          {"approved_by", jsonOrNull(v.approved_by)},
          {"approved_at", jsonOrNull(v.approved_at)},
          {"activated_at", jsonOrNull(v.activated_at)},
          {"rule_versions", std::move(members)}};
}

boost::json::object compilePreviewJson(const service::CompilePreview& preview) {
  boost::json::array warnings;
  for (const auto& w : preview.warnings) warnings.emplace_back(w);
  return {{"ruleset_version_id", preview.ruleset_version_id},
          {"compiled_ast", preview.compiled.ast},
          {"checksum", preview.compiled.checksum},
          {"can_publish", preview.can_publish},
          {"warnings", std::move(warnings)}};
}

boost::json::object registryManifestJson(const store::RegistryManifest& m) {
  return {{"manifest_id", m.manifest_id},
          {"registry_version", m.registry_version},
          {"artifact_uri", m.artifact_uri},
          {"checksum", m.checksum},
          {"field_count", m.field_count},
          {"created_at", formatIso(m.created_at)},
          {"created_by", m.created_by}};
}

boost::json::object latestRegistryJson(const std::optional<store::RegistryManifest>& m) {
  if (m) return registryManifestJson(*m);
  return {{"registry_version", 0},    {"artifact_uri", nullptr}, {"checksum", nullptr},
          {"field_count", 0},         {"created_at", nullptr},   {"created_by", nullptr}};
}

}  // namespace fraudgov::api

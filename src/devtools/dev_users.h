#pragma once
// The development issuer's ready-made identities. Each is a distinct (issuer, subject), so a
// maker token and a checker token exercise maker-checker exactly as real users would.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "devtools/dev_issuer.h"

namespace fraudgov::devtools {

struct DevUser {
  std::string kind;  // maker, checker, admin, viewer
  std::string subject;
  std::string email;
  std::string name;
  std::vector<std::string> roles;
  std::vector<std::string> permissions;
};

// Wire names of every permission (auth/permission.h): the admin and machine grants.
std::vector<std::string> allPermissionNames();
std::optional<DevUser> devUser(std::string_view kind);
const std::vector<std::string>& devUserKinds();

// Claims for a user token / the machine token, for the given issuer and audience.
TokenClaims userClaims(const DevUser& user, const std::string& issuer, const std::string& audience);
TokenClaims machineClaims(const std::string& issuer, const std::string& audience);

}  // namespace fraudgov::devtools

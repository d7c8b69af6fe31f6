#include "http/target.h"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include "http/router.h"

namespace fraudgov::http {

bool parseTarget(std::string_view target, Request& request) {
  auto parsed = boost::urls::parse_origin_form(target);
  if (!parsed) return false;
  const boost::urls::url_view& url = *parsed;
  request.path = std::string(url.path());  // decoded
  request.segments.clear();
  for (auto segment : url.segments()) request.segments.emplace_back(segment);
  if (request.segments.empty()) request.segments.emplace_back();
  request.query.clear();
  for (auto param : url.params()) {
    request.query.emplace_back(std::string(param.key), param.has_value ? std::string(param.value) : std::string());
  }
  return true;
}

}  // namespace fraudgov::http

#pragma once
// RFC 8785 JSON Canonicalization Scheme: the one byte form used for everything we hash or sign
// (audit chain links, approval content digests, compiled artifacts).

#include <boost/json/value.hpp>
#include <string>

namespace fraudgov::json {

std::string canonicalize(const boost::json::value& v);
// ECMAScript Number::toString for a finite double (the JCS number form).
std::string formatNumberEs(double d);

}  // namespace fraudgov::json

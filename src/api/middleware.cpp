#include "api/middleware.h"

#include <chrono>
#include <exception>

#include "http/problem.h"

namespace fraudgov::api {

// `log` is the runtime's and outlives every request (taken by reference).
http::Middleware accessLogMiddleware(const observability::Logger& log) {
  return [&log](http::Request& request, const http::Next& next) {
    const auto start = std::chrono::steady_clock::now();
    http::Response response = next(request);
    if (response.deferred) return response;  // not answered yet: logged when it is
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
    const auto level = response.status >= 500 ? spdlog::level::err : spdlog::level::info;
    // Below the configured level the line is dropped anyway: do not build it on every request.
    if (!log.enabled(level)) return response;
    boost::json::object fields{{"request_id", request.request_id},
                               {"client_request_id", request.client_request_id},
                               {"method", request.method_text},
                               {"route", request.route_template.empty() ? "__unmatched__" : request.route_template},
                               {"status", response.status},
                               {"duration_us", micros},
                               {"principal", request.principal_label},
                               {"client", request.client_address}};
    if (!response.log_detail.empty()) fields["detail"] = response.log_detail;
    log.event(level, "request", fields);
    return response;
  };
}

http::Middleware exceptionBarrierMiddleware(const observability::Logger& log) {
  return [&log](http::Request& request, const http::Next& next) {
    try {
      return next(request);
    } catch (const std::exception& e) {
      log.event(spdlog::level::err, "unhandled exception",
                {{"request_id", request.request_id}, {"route", request.route_template}, {"exception", e.what()}});
    } catch (...) {
      log.event(spdlog::level::err, "unhandled exception",
                {{"request_id", request.request_id}, {"route", request.route_template}});
    }
    return http::problemResponse(Error::internal("unhandled exception"), request.request_id);
  };
}

}  // namespace fraudgov::api

// The middleware chain (http/pipeline.h): order, short-circuit and exception propagation. Every
// response must pass the outer middleware (security headers, request id), so these properties are
// what keeps a header from being forgotten on some path.
#include "http/pipeline.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace fraudgov::http {

namespace {

// Records its name on the way in and on the way out.
Middleware tracing(std::string name, std::vector<std::string>& trace) {
  return [name, &trace](Request& request, const Next& next) {
    trace.push_back(name + ">");
    Response response = next(request);
    trace.push_back("<" + name);
    response.headers.add("X-Seen-By", name);
    return response;
  };
}

}  // namespace

TEST(Pipeline, RunsMiddlewareInRegistrationOrderAroundTheTerminal) {
  std::vector<std::string> trace;
  Pipeline pipeline;
  pipeline.use(tracing("a", trace));
  pipeline.use(tracing("b", trace));
  Request request;
  const Response response = pipeline.run(request, Handler([&](Request&) {
                                           trace.push_back("handler");
                                           return Response::json(201, "{}");
                                         }));
  EXPECT_EQ(trace, (std::vector<std::string>{"a>", "b>", "handler", "<b", "<a"}));
  EXPECT_EQ(response.status, 201u);
  std::vector<std::string> seen;
  for (const auto& [name, value] : response.headers.all()) {
    if (name == "X-Seen-By") seen.push_back(value);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"b", "a"})) << "the outermost middleware sees the final response";
}

TEST(Pipeline, EmptyPipelineCallsTheTerminal) {
  Pipeline pipeline;
  Request request;
  EXPECT_EQ(pipeline.run(request, Handler([](Request&) { return Response::noContent(); })).status, 204u);
}

TEST(Pipeline, AMiddlewareCanShortCircuit) {
  std::vector<std::string> trace;
  Pipeline pipeline;
  pipeline.use(tracing("outer", trace));
  pipeline.use([](Request&, const Next&) { return Response::json(429, "{}"); });
  pipeline.use(tracing("inner", trace));
  bool reached = false;
  Request request;
  const Response response = pipeline.run(request, Handler([&](Request&) {
                                           reached = true;
                                           return Response::json(200, "{}");
                                         }));
  EXPECT_EQ(response.status, 429u);
  EXPECT_FALSE(reached);
  EXPECT_EQ(trace, (std::vector<std::string>{"outer>", "<outer"})) << "outer still decorates the refusal";
}

TEST(Pipeline, MiddlewareSeesRequestChangesMadeBeforeIt) {
  Pipeline pipeline;
  pipeline.use([](Request& request, const Next& next) {
    request.request_id = "rid-1";
    return next(request);
  });
  Request request;
  const Response response =
      pipeline.run(request, Handler([](Request& r) { return Response::json(200, r.request_id); }));
  EXPECT_EQ(response.body, "rid-1");
}

TEST(Pipeline, ExceptionsPropagateThroughMiddlewareThatDoesNotCatch) {
  std::vector<std::string> trace;
  Pipeline pipeline;
  pipeline.use(tracing("a", trace));
  Request request;
  EXPECT_THROW(pipeline.run(request, Handler([](Request&) -> Response { throw std::runtime_error("boom"); })),
               std::runtime_error);
  EXPECT_EQ(trace, (std::vector<std::string>{"a>"})) << "no half-decorated response escapes";
}

TEST(Pipeline, AnOuterMiddlewareCanTurnAnExceptionIntoAResponse) {
  std::vector<std::string> trace;
  Pipeline pipeline;
  pipeline.use([](Request& request, const Next& next) {
    try {
      return next(request);
    } catch (const std::exception&) {
      return Response::json(500, "{}");
    }
  });
  pipeline.use(tracing("inner", trace));
  Request request;
  const Response response =
      pipeline.run(request, Handler([](Request&) -> Response { throw std::logic_error("handler bug"); }));
  EXPECT_EQ(response.status, 500u);
}

TEST(Pipeline, NextMayBeCalledAgainForARetry) {
  int calls = 0;
  Pipeline pipeline;
  pipeline.use([](Request& request, const Next& next) {
    Response first = next(request);
    return first.status == 503 ? next(request) : first;
  });
  Request request;
  const Response response =
      pipeline.run(request, Handler([&](Request&) { return Response::json(++calls == 1 ? 503 : 200, "{}"); }));
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(calls, 2);
}

}  // namespace fraudgov::http

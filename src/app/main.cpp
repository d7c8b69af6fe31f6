// fraudgov: the production binary. It contains no development issuer and no test-token routes.
#include "app/cli.h"

int main(int argc, char** argv) { return fraudgov::app::runCli(argc, argv, {"fraudgov", nullptr, {}}); }

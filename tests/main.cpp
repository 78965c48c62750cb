// The Catch2 test runner of wegwijs_tests. Tags: [unit], [conversation], [http], [data].
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>

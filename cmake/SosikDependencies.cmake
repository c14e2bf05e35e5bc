# Every third-party library comes from a Debian 12 package (see README.md).
# Each is exposed as an imported target so library folders link them PRIVATE.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(ICU 72 REQUIRED COMPONENTS uc i18n data)
find_package(Boost 1.74 REQUIRED COMPONENTS program_options unit_test_framework)
find_package(ZLIB REQUIRED)
find_package(yaml-cpp REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
pkg_check_modules(GUMBO REQUIRED IMPORTED_TARGET gumbo)
pkg_check_modules(MD4C_HTML REQUIRED IMPORTED_TARGET md4c-html)
pkg_check_modules(HANGUL REQUIRED IMPORTED_TARGET libhangul)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)

# Xapian's CMake config only sets variables; wrap them once in a target.
find_package(Xapian REQUIRED)
if(NOT TARGET Sosik::xapian)
  add_library(Sosik::xapian INTERFACE IMPORTED)
  set_target_properties(Sosik::xapian PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${XAPIAN_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${XAPIAN_LIBRARIES}")
endif()

# cpp-httplib is header-only; its Debian package ships a CMake config.
find_package(httplib QUIET)

# Settings shared by every target of ours: warnings, sanitizers, version.
add_library(sosik_build_settings INTERFACE)
target_compile_options(sosik_build_settings INTERFACE -Wall -Wextra -Wpedantic)
target_compile_definitions(sosik_build_settings INTERFACE SOSIK_VERSION="${PROJECT_VERSION}")
if(SOSIK_SANITIZE)
  target_compile_options(sosik_build_settings INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(sosik_build_settings INTERFACE -fsanitize=address,undefined)
endif()
if(SOSIK_SANITIZE_THREAD)
  if(SOSIK_SANITIZE)
    message(FATAL_ERROR "SOSIK_SANITIZE (ASan) and SOSIK_SANITIZE_THREAD (TSan) cannot share a build")
  endif()
  target_compile_options(sosik_build_settings INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(sosik_build_settings INTERFACE -fsanitize=thread)
endif()
if(SOSIK_FUZZ)
  # Coverage for libFuzzer in every library, plus ASan+UBSan; the fuzz
  # targets themselves add -fsanitize=fuzzer (its main()).
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "SOSIK_FUZZ needs clang: CC=clang-14 CXX=clang++-14 cmake -DSOSIK_FUZZ=ON (see tests/fuzz/run.sh)")
  endif()
  target_compile_options(sosik_build_settings INTERFACE
    -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(sosik_build_settings INTERFACE -fsanitize=address,undefined)
endif()

# sosik_executable(NAME SOURCES... LIBS ...) — a thin command-line shell over our libraries.
function(sosik_executable name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} Boost::program_options sosik_build_settings)
  install(TARGETS ${name} RUNTIME DESTINATION bin)
endfunction()

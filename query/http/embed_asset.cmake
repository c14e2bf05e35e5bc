# cmake -DNAME=kWidgetJs -DINPUT=assets/widget.js -DOUTPUT=widget_js.cpp -P embed_asset.cmake
# Writes a C++ file defining sosik::http::assets::NAME (see src/assets.h) as
# the bytes of INPUT. Hex escapes keep any byte sequence a valid literal.
file(READ "${INPUT}" hex HEX)
string(LENGTH "${hex}" hex_length)
math(EXPR size "${hex_length} / 2")
set(literal "    \"\"\n")
set(offset 0)
while(offset LESS hex_length)
  string(SUBSTRING "${hex}" ${offset} 64 chunk)  # 32 bytes a line
  string(REGEX REPLACE "(..)" "\\\\x\\1" chunk "${chunk}")
  string(APPEND literal "    \"${chunk}\"\n")
  math(EXPR offset "${offset} + 64")
endwhile()
get_filename_component(input_name "${INPUT}" NAME)
file(WRITE "${OUTPUT}.tmp"
  "// Generated from assets/${input_name} by embed_asset.cmake: edit that file instead.\n"
  "#include \"assets.h\"\n\n"
  "namespace sosik::http::assets {\n\n"
  "const std::string_view ${NAME}(\n${literal}    , ${size});\n\n"
  "}  // namespace sosik::http::assets\n")
# Only touch OUTPUT when it changed, so an unchanged asset recompiles nothing.
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")

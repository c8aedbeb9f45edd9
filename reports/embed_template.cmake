# cmake -DINPUT=file -DOUTPUT=header.h -DSYMBOL=name -P embed_template.cmake
# Writes `inline constexpr std::string_view SYMBOL = R"cts_template(...)cts_template";` holding
# the file byte for byte. Fails when the file contains the raw-string delimiter.
file(READ "${INPUT}" content)
string(FIND "${content}" ")cts_template\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT}: contains the raw-string delimiter )cts_template\"")
endif()
get_filename_component(name "${INPUT}" NAME)
set(text "// Embedded from reports/templates/${name} at build time; edit the template, not this file.\n")
string(APPEND text "#pragma once\n#include <string_view>\nnamespace cts::reports::templates {\n")
string(APPEND text "inline constexpr std::string_view ${SYMBOL} = R\"cts_template(${content})cts_template\";\n")
string(APPEND text "}  // namespace cts::reports::templates\n")
# Rewrite only on change, so an unchanged template does not rebuild its users.
if(EXISTS "${OUTPUT}")
  file(READ "${OUTPUT}" previous)
  if(previous STREQUAL text)
    return()
  endif()
endif()
file(WRITE "${OUTPUT}" "${text}")

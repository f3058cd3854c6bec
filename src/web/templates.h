// Rendering of the embedded Mustache templates (kainjow mustache, HTML-escaping by default).
#pragma once

#include <kainjow/mustache.hpp>
#include <string>
#include <string_view>

namespace booklib::web {

using TemplateData = kainjow::mustache::data;

// Renders templates/<name>.html. Templates are parsed once per thread. An unknown or invalid
// template is a programming error and renders as an empty string plus a logged error.
std::string RenderTemplate(std::string_view name, const TemplateData& data);

}  // namespace booklib::web

// Files of query/http/assets/, compiled into the binary by embed_asset.cmake:
// the server never reads a file at request time.
#pragma once

#include <string_view>

namespace sosik::http::assets {

extern const std::string_view kPageCss;         // sosik.css: the search page and the demo page
extern const std::string_view kWidgetJs;        // widget.js: the drop-in search box
extern const std::string_view kWidgetCss;       // widget.css: its styles, linked by widget.js
extern const std::string_view kWidgetDemoHtml;  // widget-demo.html: a page that uses the widget

}  // namespace sosik::http::assets

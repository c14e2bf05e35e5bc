#include "html.h"

namespace sosik::http {

void append_escaped(std::string& out, std::string_view text) {
    for (char c : text) {
        switch (c) {
        case '&': out += "&amp;"; break;
        case '<': out += "&lt;"; break;
        case '>': out += "&gt;"; break;
        case '"': out += "&quot;"; break;
        case '\'': out += "&#39;"; break;
        default: out += c;
        }
    }
}

std::string escaped(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    append_escaped(out, text);
    return out;
}

std::string url_encoded(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                                (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
        if (unreserved) {
            out += c;
        } else {
            out += '%';
            out += kHex[byte >> 4];
            out += kHex[byte & 0xF];
        }
    }
    return out;
}

std::string query_string(const std::vector<std::pair<std::string_view, std::string>>& params) {
    std::string out;
    for (const auto& [name, value] : params) {
        if (value.empty()) continue;
        out += out.empty() ? '?' : '&';
        out += url_encoded(name);
        out += '=';
        out += url_encoded(value);
    }
    return out;
}

std::string safe_link(std::string_view url, std::string_view site_url) {
    if (url.empty()) return {};
    // Browsers drop tabs and newlines inside URLs ("java\tscript:"), so refuse
    // every control character and space rather than trying to normalize.
    for (char c : url)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) return {};
    const std::size_t scheme_end = url.find(':');
    const std::size_t path_start = url.find_first_of("/?#");
    if (scheme_end != std::string_view::npos && scheme_end < path_start) {
        std::string scheme(url.substr(0, scheme_end));
        for (char& c : scheme) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
        return scheme == "http" || scheme == "https" ? std::string(url) : std::string();
    }
    const bool site_relative = url.starts_with('/') && !url.starts_with("//");
    if (site_relative && !site_url.empty()) {
        std::string_view site = site_url;
        while (site.ends_with('/')) site.remove_suffix(1);
        return std::string(site) + std::string(url);
    }
    return std::string(url);
}

}  // namespace sosik::http

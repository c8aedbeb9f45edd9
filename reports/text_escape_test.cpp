#include "reports/text_escape.h"

#include <gtest/gtest.h>

namespace cts::reports {
namespace {

TEST(HtmlEscape, MarkupAndQuotesBecomeReferences) {
  EXPECT_EQ(html_escape("<script>alert(\"x\")</script> & 'q'"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;");
  EXPECT_EQ(html_escape("&amp;"), "&amp;amp;");  // already-escaped text is text
}

TEST(HtmlEscape, KeepsValidUtf8AndWhitespace) {
  EXPECT_EQ(html_escape("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\t\n\r"), "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\t\n\r");
}

TEST(PrintableText, ControlCharactersAreShownNotEmitted) {
  // XML 1.0 §2.2 forbids C0 controls other than TAB, LF, CR; HTML treats DEL and C1 as errors.
  EXPECT_EQ(printable_text(std::string("a\0b", 3)), "a\\u0000b");
  EXPECT_EQ(printable_text("\x01\x1b[31m"), "\\u0001\\u001B[31m");
  EXPECT_EQ(printable_text("\x7f"), "\\u007F");
  EXPECT_EQ(printable_text("\xC2\x85"), "\\u0085");      // U+0085 NEL, a C1 control
  EXPECT_EQ(printable_text("\xEF\xBF\xBE"), "\\uFFFE");  // a noncharacter XML forbids
  EXPECT_EQ(printable_text("\xEF\xBF\xBD"), "\xEF\xBF\xBD");  // U+FFFD itself is fine
}

TEST(PrintableText, IllFormedUtf8BecomesReplacementPerMaximalSubpart) {
  const std::string fffd = "\xEF\xBF\xBD";
  // Unicode 15, §3.9, Table 3-8: 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64.
  EXPECT_EQ(printable_text("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64"),
            "a" + fffd + fffd + fffd + "b" + fffd + "c" + fffd + fffd + "d");
  EXPECT_EQ(printable_text("\xC0\xAF"), fffd + fffd);              // overlong "/"
  EXPECT_EQ(printable_text("\xED\xA0\x80"), fffd + fffd + fffd);    // a UTF-16 surrogate
  EXPECT_EQ(printable_text("\xF4\x90\x80\x80"), fffd + fffd + fffd + fffd);  // above U+10FFFF
  EXPECT_EQ(printable_text("ok\xE2\x82"), "ok" + fffd);            // truncated at the end
  EXPECT_EQ(printable_text("\xFF<"), fffd + "<");
}

TEST(XmlEscape, TextAndAttributes) {
  EXPECT_EQ(xml_text("a<b>&c]]>"), "a&lt;b&gt;&amp;c]]&gt;");
  EXPECT_EQ(xml_text("\"'"), "\"'");
  EXPECT_EQ(xml_attribute("a\"b'c<d>&e"), "a&quot;b&#39;c&lt;d&gt;&amp;e");
  // Attribute-value normalisation (XML 1.0 §3.3.3) would turn these into spaces.
  EXPECT_EQ(xml_attribute("1\t2\n3\r"), "1&#9;2&#10;3&#13;");
  EXPECT_EQ(xml_attribute("\x02\xFF"), "\\u0002\xEF\xBF\xBD");
}

TEST(UrlFragment, PercentEncodesAllButUnreserved) {
  EXPECT_EQ(url_fragment("case-esp.roundtrip[alg=aes-128-gcm,ip=6]"),
            "case-esp.roundtrip%5Balg%3Daes-128-gcm%2Cip%3D6%5D");
  EXPECT_EQ(url_fragment("a b\"<\xC3\xA9~_"), "a%20b%22%3C%C3%A9~_");
}

}  // namespace
}  // namespace cts::reports

// ISBN rules as users meet them: what they type, and the one book it means.
#include "core/isbn.h"

#include <gtest/gtest.h>

namespace booklib {
namespace {

TEST(NormalizeIsbn, IgnoresHyphensAndSpaces) {
  EXPECT_EQ(NormalizeIsbn("978-1-78227-634-0").value(), "9781782276340");
  EXPECT_EQ(NormalizeIsbn(" 978 1782276340 ").value(), "9781782276340");
}

TEST(NormalizeIsbn, TurnsIsbn10IntoTheSameIsbn13) {
  EXPECT_EQ(NormalizeIsbn("0-316-03057-X").error().code, ErrorCode::kInvalidArgument);  // wrong check
  EXPECT_EQ(NormalizeIsbn("0316030570").value(), "9780316030571");
  EXPECT_EQ(NormalizeIsbn("0525509283").value(), NormalizeIsbn("9780525509288").value());
}

TEST(NormalizeIsbn, AcceptsTheXCheckDigitInEitherCase) {
  EXPECT_EQ(NormalizeIsbn("080442957X").value(), "9780804429573");
  EXPECT_EQ(NormalizeIsbn("080442957x").value(), "9780804429573");
}

TEST(NormalizeIsbn, RejectsWrongCheckDigitsWithAReason) {
  const auto bad13 = NormalizeIsbn("9781782276341");
  ASSERT_FALSE(bad13);
  EXPECT_NE(bad13.error().message.find("check digit"), std::string::npos);
  EXPECT_FALSE(NormalizeIsbn("0316030571"));
}

TEST(NormalizeIsbn, RejectsWrongLengthsLettersAndNonBooklandPrefixes) {
  EXPECT_FALSE(NormalizeIsbn(""));
  EXPECT_FALSE(NormalizeIsbn("12345"));
  EXPECT_FALSE(NormalizeIsbn("97817822763a0"));
  EXPECT_FALSE(NormalizeIsbn("5012345678900"));  // a valid EAN-13, but groceries, not a book
}

TEST(NormalizeIsbn, Accepts979Prefix) {
  EXPECT_EQ(NormalizeIsbn("979-10-90636-07-1").value(), "9791090636071");
}

TEST(Isbn13To10, GivesTheIsbn10FormOnlyFor978) {
  EXPECT_EQ(Isbn13To10("9780804429573"), "080442957X");
  EXPECT_EQ(Isbn13To10("9791090636071"), "");
}

TEST(NormalizeIsbn, UnderstandsALabelAsPeoplePasteIt) {
  EXPECT_EQ(NormalizeIsbn("ISBN-13: 978-0-441-01359-3").value(), "9780441013593");
  EXPECT_EQ(NormalizeIsbn("  isbn 0-441-01359-7").value(), "9780441013593");
  EXPECT_EQ(NormalizeIsbn("ISBN13:9780441013593").value(), "9780441013593");
  EXPECT_EQ(NormalizeIsbn("ISBN-10: 0441013597").value(), "9780441013593");
  EXPECT_FALSE(NormalizeIsbn("ISBN: ").has_value()) << "a label alone is no ISBN";
  EXPECT_FALSE(NormalizeIsbn("ISBX 9780441013593").has_value());
}

}  // namespace
}  // namespace booklib

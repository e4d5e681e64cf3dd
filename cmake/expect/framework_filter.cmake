# Expected output of framework_fail run with the filter "IgnoreGives": one case, ignored, and the run passes.
# It must never match more than that case: the filter selects by substring of "Group.Name".
set(EXPECT_EXIT 0)
set(EXPECT_LINES
    "TEST\\(FrameworkFail, IgnoreGivesTheReason\\) IGNORE not on this board"
    "1 Tests 0 Failures 1 Ignored"
    "OK")
set(REJECT_LINES "FAIL")

# Expected output of a run whose filter matches no case: an empty, successful run.
# It must never report a case: nothing was selected.
set(EXPECT_EXIT 0)
set(EXPECT_LINES "0 Tests 0 Failures 0 Ignored" "OK")
set(REJECT_LINES "^TEST\\(")

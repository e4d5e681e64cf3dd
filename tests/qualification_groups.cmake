# Alder qualification: the registry of groups. A group tests one porting interface on a board; a board
# runs it (ALDER_BOARD_QUALIFY_GROUPS) or says why it does not apply (ALDER_BOARD_QUALIFY_NOT_APPLICABLE).
# It must never list a group that has no test images: a library's issue adds its group here with its images.

# Groups, in the order the runner runs and reports them.
set(ALDER_QUALIFICATION_GROUPS Kernel TCP PKCS11 CRYPTO TLS)

# The porting guide page that explains the interface each group proves.
set(ALDER_QUALIFICATION_GUIDE_Kernel "docs/porting/kernel.md")
set(ALDER_QUALIFICATION_GUIDE_TCP "docs/porting/sockets.md")
set(ALDER_QUALIFICATION_GUIDE_TLS "docs/porting/tls.md")
set(ALDER_QUALIFICATION_GUIDE_PKCS11 "docs/porting/pkcs11.md")
set(ALDER_QUALIFICATION_GUIDE_CRYPTO "docs/porting/pkcs11.md")

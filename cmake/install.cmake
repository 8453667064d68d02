# What `make install` (cmake --install) and the Debian package (dh_auto_install)
# put where: the daemon, the man pages built from man/*.scd with scdoc, the
# shipped policies, the documentation and the systemd units. The configuration
# file, the alignd user and /etc/alignd/keys are not here: the Makefile's
# install target and debian/alignd.postinst handle those.
include(GNUInstallDirs)
set(ALIGND_SYSTEMD_UNITDIR "/lib/systemd/system" CACHE PATH "where the systemd units go")

# Every man/NAME.SECTION.scd becomes build/man/NAME.SECTION, installed in manSECTION.
find_program(SCDOC scdoc REQUIRED)  # package scdoc (contrib/debian-packages.txt)
file(GLOB _man_sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/man/*.scd)
set(_man_pages)
foreach(_src ${_man_sources})
  get_filename_component(_page ${_src} NAME)
  string(REGEX REPLACE "\\.scd$" "" _page "${_page}")
  if(NOT _page MATCHES "\\.([1-9])$")
    message(FATAL_ERROR "${_src}: name it NAME.SECTION.scd")
  endif()
  set(_section ${CMAKE_MATCH_1})
  set(_out ${CMAKE_BINARY_DIR}/man/${_page})
  add_custom_command(OUTPUT ${_out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/man
    COMMAND sh -c "\"$0\" < \"$1\" > \"$2\"" ${SCDOC} ${_src} ${_out}
    DEPENDS ${_src} COMMENT "scdoc ${_page}" VERBATIM)
  list(APPEND _man_pages ${_out})
  install(FILES ${_out} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${_section})
endforeach()
add_custom_target(man ALL DEPENDS ${_man_pages})

install(TARGETS alignd RUNTIME DESTINATION ${CMAKE_INSTALL_SBINDIR})
file(GLOB _policies ${CMAKE_SOURCE_DIR}/policies/*.toml)
file(GLOB _policy_examples ${CMAKE_SOURCE_DIR}/policies/examples/*.toml)
install(FILES ${_policies} DESTINATION ${CMAKE_INSTALL_DATADIR}/alignd/policies)
install(FILES ${_policy_examples} DESTINATION ${CMAKE_INSTALL_DATADIR}/alignd/policies/examples)
# The units name /usr/share/doc/alignd/README.md and reports.md.
file(GLOB _docs ${CMAKE_SOURCE_DIR}/docs/*.md)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${_docs} DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/img DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${CMAKE_SOURCE_DIR}/systemd/alignd.service ${CMAKE_SOURCE_DIR}/systemd/alignd-report.service
  ${CMAKE_SOURCE_DIR}/systemd/alignd-report.timer DESTINATION ${ALIGND_SYSTEMD_UNITDIR})

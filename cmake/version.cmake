# ALIGND_COMMIT: the commit `alignd --version` prints. ALIGND_GIT_COMMIT wins when
# set (the package build copies the source without .git and passes it); else
# `git describe --always --dirty` of this checkout at configure time; else "unknown".
set(ALIGND_GIT_COMMIT "" CACHE STRING "commit shown by alignd --version (default: git describe)")
set(ALIGND_COMMIT "${ALIGND_GIT_COMMIT}")
if(NOT ALIGND_COMMIT AND EXISTS "${CMAKE_SOURCE_DIR}/.git")
  find_package(Git QUIET)
  if(GIT_FOUND)
    execute_process(COMMAND "${GIT_EXECUTABLE}" describe --always --dirty --abbrev=12
      WORKING_DIRECTORY "${CMAKE_SOURCE_DIR}" OUTPUT_VARIABLE ALIGND_COMMIT
      OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE _git_rc)
    if(NOT _git_rc EQUAL 0)
      set(ALIGND_COMMIT "")
    endif()
  endif()
endif()
if(NOT ALIGND_COMMIT)
  set(ALIGND_COMMIT "unknown")
endif()
message(STATUS "alignd ${PROJECT_VERSION}, commit ${ALIGND_COMMIT}")

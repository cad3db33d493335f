@ECHO OFF
REM Build the my-site documentation with Sphinx on Windows: make.bat html

pushd %~dp0

if "%SPHINXBUILD%" == "" (
	set SPHINXBUILD=sphinx-build
)
set SOURCEDIR=.
set BUILDDIR=_build
set SPHINXOPTS=-W --keep-going

%SPHINXBUILD% >NUL 2>NUL
if errorlevel 9009 (
	echo.
	echo.sphinx-build was not found: install Sphinx (pip install -r requirements.txt^)
	echo.or set SPHINXBUILD to its full path.
	exit /b 1
)

if "%1" == "" goto help

%SPHINXBUILD% -M %1 %SOURCEDIR% %BUILDDIR% %SPHINXOPTS% %O%
goto end

:help
%SPHINXBUILD% -M help %SOURCEDIR% %BUILDDIR% %SPHINXOPTS% %O%

:end
popd

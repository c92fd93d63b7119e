; Inno Setup script: a Windows installer for the one-folder app that `make package` (PyInstaller)
; builds into dist\pm-desk. Build on Windows, from the repository root (see packaging/README.md):
;     iscc packaging\windows\pm-desk.iss
; The installer is written to dist\installer\pm-desk-<version>-setup.exe.

#define AppName "PM Desk"
#define AppExe "pm-desk.exe"
#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define SourceDir "..\..\dist\pm-desk"

[Setup]
; A fixed id: upgrades and uninstall find earlier installs by it. Never change it.
AppId={{6F0B7C2E-4D8A-4B8F-9A51-2D87C0A1E287}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The PM Desk team
DefaultDirName={autopf}\PM Desk
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-user install without administrator rights unless the person chooses all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist\installer
OutputBaseFilename=pm-desk-{#AppVersion}-setup
SetupIconFile=pm-desk.ico
UninstallDisplayIcon={app}\{#AppExe}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; The person's database, settings and backups live under %LOCALAPPDATA%\pm-desk and are kept on
; uninstall: nothing below deletes them.

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "287(g) program manager's workbench"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
; Check the installation before first use (offscreen, on a temporary database; exits 0 when fine).
Filename: "{app}\{#AppExe}"; Parameters: "--self-test"; StatusMsg: "Checking the installation..."; Flags: runhidden waituntilterminated
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

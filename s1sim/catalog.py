"""Fixed vocabularies the synthetic tenant draws from (names, OS builds, malware families, scripts)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OsProfile:
    os_type: str
    names: tuple[tuple[str, str], ...]  # (osName, osRevision)
    agent_versions: tuple[str, ...]
    installer_type: str
    os_arch: str
    machine_types: tuple[str, ...]


OS_PROFILES: dict[str, OsProfile] = {
    "windows": OsProfile(
        "windows",
        (
            ("Windows 10 Pro", "19045"),
            ("Windows 11 Enterprise", "22631"),
            ("Windows Server 2019 Standard", "17763"),
            ("Windows Server 2022 Datacenter", "20348"),
        ),
        ("23.4.2.14", "23.3.3.264", "22.3.4.612"),
        ".msi",
        "64 bit",
        ("desktop", "laptop", "server"),
    ),
    "macos": OsProfile(
        "macos",
        (("macOS Sonoma", "14.4.1"), ("macOS Ventura", "13.6.6")),
        ("23.4.1.7000", "23.3.2.7123"),
        ".pkg",
        "ARM64",
        ("laptop", "desktop"),
    ),
    "linux": OsProfile(
        "linux",
        (("Ubuntu 22.04.4 LTS", "5.15.0-105"), ("Red Hat Enterprise Linux 8.9", "4.18.0-513"), ("Amazon Linux 2", "5.10.213")),
        ("23.4.1.6", "23.2.2.4"),
        ".deb",
        "64 bit",
        ("server",),
    ),
    "windows_legacy": OsProfile(
        "windows_legacy",
        (("Windows 7 Professional", "7601"),),
        ("4.6.16.227",),
        ".exe",
        "64 bit",
        ("desktop",),
    ),
}

# Weighted OS mix of a typical fleet.
OS_WEIGHTS = (("windows", 50), ("macos", 20), ("linux", 25), ("windows_legacy", 5))

USER_NAMES = (
    "alice",
    "bob",
    "carol",
    "dave",
    "erin",
    "frank",
    "grace",
    "heidi",
    "ivan",
    "judy",
    "mallory",
    "niaj",
    "olivia",
    "peggy",
    "rupert",
    "sybil",
    "trent",
    "victor",
    "walter",
)


@dataclass(frozen=True)
class ThreatKind:
    name: str
    classification: str
    file_name: str
    directory: str  # `{user}` is replaced by the agent's user
    extension_type: str
    engines: tuple[str, ...]


THREAT_KINDS: dict[str, tuple[ThreatKind, ...]] = {
    "windows": (
        ThreatKind("Emotet", "Trojan", "invoice_3321.doc", "\\Users\\{user}\\Downloads", "Document", ("On-Write DFI",)),
        ThreatKind(
            "mimikatz.exe", "Hacktool", "mimikatz.exe", "\\Users\\{user}\\AppData\\Local\\Temp", "Executable", ("Reputation",)
        ),
        ThreatKind(
            "WannaCry", "Ransomware", "tasksche.exe", "\\ProgramData\\wcry", "Executable", ("On-Write DFI", "Behavioral AI")
        ),
        ThreatKind(
            "Unconfirmed 123490.crdownload",
            "Malware",
            "Unconfirmed 123490.crdownload",
            "\\Users\\{user}\\Downloads",
            "Unknown",
            ("Reputation",),
        ),
        ThreatKind(
            "free_vpn_setup.exe", "PUA", "free_vpn_setup.exe", "\\Users\\{user}\\Downloads", "Executable", ("Reputation",)
        ),
        ThreatKind("CobaltStrike Beacon", "Trojan", "update.dll", "\\Windows\\Temp", "Executable", ("Behavioral AI",)),
    ),
    "windows_legacy": (ThreatKind("Conficker", "Worm", "svchost32.exe", "\\Windows\\System32", "Executable", ("Reputation",)),),
    "macos": (
        ThreatKind("Shlayer", "Trojan", "Player_Installer.dmg", "/Users/{user}/Downloads", "Unknown", ("On-Write DFI",)),
        ThreatKind("Adload", "Adware", "com.adload.agent", "/Users/{user}/Library/LaunchAgents", "Unknown", ("Behavioral AI",)),
    ),
    "linux": (
        ThreatKind("XMRig", "Miner", "xmrig", "/tmp/.x", "Executable", ("On-Write DFI",)),
        ThreatKind("Mirai", "Malware", "mirai.arm", "/var/tmp", "Executable", ("Reputation",)),
    ),
}

APPLICATIONS = (
    ("Google Chrome", "Google LLC", "124.0.6367.91"),
    ("Mozilla Firefox", "Mozilla", "125.0.3"),
    ("Microsoft Office 365", "Microsoft Corporation", "16.0.17531"),
    ("7-Zip", "Igor Pavlov", "23.01"),
    ("Zoom", "Zoom Video Communications, Inc.", "5.17.11"),
    ("Slack", "Slack Technologies", "4.37.101"),
    ("Visual Studio Code", "Microsoft Corporation", "1.88.1"),
    ("Notepad++", "Notepad++ Team", "8.6.5"),
    ("Python 3.11", "Python Software Foundation", "3.11.9"),
    ("OpenSSH", "OpenBSD", "9.6p1"),
)

STAR_RULES = (
    (
        "Suspicious PowerShell Download",
        "High",
        'EventType = "Process Creation" AND TgtProcName = "powershell.exe" AND TgtProcCmdLine ContainsCIS "downloadstring"',
        "PROCESSCREATION",
    ),
    (
        "Registry Run Key Persistence",
        "Medium",
        'EventType = "Registry Value Modified" AND RegistryPath ContainsCIS "\\Run"',
        "REGVALUEMODIFIED",
    ),
    ("LSASS Memory Access", "Critical", 'EventType = "Open Remote Process Handle" AND TgtProcName = "lsass.exe"', "OPENPROCESS"),
    (
        "Unsigned Binary Dropped in Temp",
        "Low",
        'EventType = "File Creation" AND TgtFilePath ContainsCIS "\\Temp\\"',
        "FILECREATION",
    ),
)

REMOTE_SCRIPTS = (
    ("Collect Running Processes", "dataCollection", ("windows", "macos", "linux")),
    ("Kill Process by Name", "action", ("windows", "macos", "linux")),
    ("Gather Browser History", "dataCollection", ("windows", "macos")),
    ("Network Connections Snapshot", "dataCollection", ("windows", "linux")),
)

PROCESS_NAMES = {
    "windows": ("explorer.exe", "chrome.exe", "powershell.exe", "svchost.exe", "cmd.exe", "outlook.exe"),
    "windows_legacy": ("explorer.exe", "iexplore.exe", "cmd.exe"),
    "macos": ("launchd", "Safari", "zsh", "mdworker", "Google Chrome"),
    "linux": ("systemd", "sshd", "bash", "nginx", "python3", "cron"),
}

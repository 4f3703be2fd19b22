"""Files fetched from agents: the request (activity 81), the agent's upload some seconds later (activity 80, or 86
for a threat file) and the password-protected zip served at `/agents/{agent_id}/uploads/{activity_id}`.

Retention follows the console: an upload is deleted after 3 days, or earlier once more than 30 files have been
fetched (oldest first); reading a deleted upload is HTTP 410, code 4100010.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from datetime import datetime, timedelta

from s1sim.clock import format_timestamp
from s1sim.errors import not_found, upload_expired, validation_error
from s1sim.store import Record, Store, Upload
from s1sim.zipcrypto import ZipMember, encrypted_zip

UPLOAD_DELAY_SECONDS = 5.0
RETENTION = timedelta(days=3)
MAX_RETAINED_FILES = 30
MAX_FILES_PER_REQUEST = 10
PASSWORD_CLASSES = (r"[A-Z]", r"[a-z]", r"[0-9]", r"[^A-Za-z0-9]")


def validate_password(password: object) -> str:
    """At least 10 characters from 3 of the 4 classes (upper, lower, digit, symbol), at most 256."""
    if not isinstance(password, str) or not password:
        raise validation_error("password: Missing data for required field.")
    classes = sum(1 for pattern in PASSWORD_CLASSES if re.search(pattern, password))
    if not 10 <= len(password) <= 256 or classes < 3:
        raise validation_error(
            "password: Must be 10 to 256 characters and contain 3 of: upper-case, lower-case, digits, symbols."
        )
    return password


def archive_path(file_path: str) -> str:
    """Where a fetched file sits inside the zip: the drive letter becomes a folder (`C:\\a\\b.txt` → `C/a/b.txt`)."""
    device = re.match(r"^\\Device\\HarddiskVolume\d+\\", file_path)
    if device:
        file_path = "C:\\" + file_path[device.end() :]
    drive = re.match(r"^([A-Za-z]):[\\/]", file_path)
    if drive:
        return drive.group(1).upper() + "/" + file_path[drive.end() :].replace("\\", "/")
    return file_path.replace("\\", "/").lstrip("/")


def file_content(agent: Record, file_path: str) -> bytes:
    """Deterministic stand-in content for a file on an agent."""
    digest = hashlib.sha256(f"{agent['id']}:{file_path}".encode()).hexdigest()
    lines = [f"Simulated content of {file_path}", f"agent: {agent['computerName']} ({agent['id']})", f"fingerprint: {digest}"]
    return ("\n".join(lines) + "\n").encode()


def build_zip(store: Store, upload: Upload) -> bytes:
    agent = store.agents[upload.agent_id]
    files = [(path, file_content(agent, path)) for path in upload.files]
    manifest = {
        "agentId": agent["id"],
        "computerName": agent["computerName"],
        "files": [
            {"path": path, "archivePath": archive_path(path), "size": len(content), "sha1": hashlib.sha1(content).hexdigest()}
            for path, content in files
        ],
        "uploadedAt": format_timestamp(upload.created_at),
    }
    members = [ZipMember("manifest.json", json.dumps(manifest, indent=2).encode())]
    members += [ZipMember(archive_path(path), content) for path, content in files]
    rng = random.Random(f"{store.seed}-{upload.activity_id}")
    return encrypted_zip(members, upload.password, upload.created_at, rng)


def enforce_retention(store: Store) -> None:
    live = sorted((upload for upload in store.uploads.values() if not upload.deleted), key=lambda upload: upload.created_at)
    total = sum(len(upload.files) for upload in live)
    for upload in live:
        if total <= MAX_RETAINED_FILES:
            break
        upload.deleted = True
        total -= len(upload.files)


def schedule_upload(
    store: Store, agent: Record, password: str, files: list[str], batch_uuid: str, threat_id: str | None = None
) -> None:
    def arrive(due: datetime) -> None:
        label = files[0] if len(files) == 1 else f"{len(files)} files"
        activity = store.add_activity(
            86 if threat_id else 80,
            f"Agent {agent['computerName']} ({agent['externalIp']}) successfully uploaded {label}.",
            at=due,
            agent=agent,
            threat_id=threat_id,
            data={
                "commandBatchUuid": batch_uuid,
                "computerName": agent["computerName"],
                "externalIp": agent["externalIp"],
                "filename": label,
                "uploadedFilename": f"{batch_uuid}.zip",
                "downloadUrl": "",
            },
        )
        activity["data"]["downloadUrl"] = f"/agents/{agent['id']}/uploads/{activity['id']}"
        store.uploads[activity["id"]] = Upload(
            activity_id=activity["id"],
            agent_id=agent["id"],
            password=password,
            files=list(files),
            created_at=due,
            file_name=f"{batch_uuid}.zip",
            threat_id=threat_id,
        )
        enforce_retention(store)

    store.schedule(UPLOAD_DELAY_SECONDS, arrive)


def request_agent_files(store: Store, agent: Record, password: str, files: list[str]) -> Record:
    """Record the request (activity 81) and schedule the agent's upload."""
    batch_uuid = store.ids.uuid()
    activity = store.add_activity(
        81,
        f"The management user {store.user.full_name} initiated a fetch file command to the agent "
        f"{agent['computerName']} ({agent['externalIp']}).",
        agent=agent,
        data={
            "commandBatchUuid": batch_uuid,
            "computerName": agent["computerName"],
            "externalIp": agent["externalIp"],
            "files": list(files),
            "username": store.user.full_name,
        },
        by_user=True,
    )
    schedule_upload(store, agent, password, files, batch_uuid)
    return activity


def request_threat_file(store: Store, threat: Record, password: str) -> None:
    agent = store.agents[threat["_sim"]["agentId"]]
    schedule_upload(store, agent, password, [threat["threatInfo"]["filePath"]], store.ids.uuid(), threat_id=threat["id"])


def upload_bytes(store: Store, agent_id: str, activity_id: str) -> Upload:
    upload = store.uploads.get(activity_id)
    if upload is None or upload.agent_id != agent_id:
        raise not_found(f"No upload {activity_id} for agent {agent_id}")
    if upload.deleted or store.now() - upload.created_at > RETENTION:
        upload.deleted = True
        raise upload_expired()
    if upload.content is None:
        upload.content = build_zip(store, upload)
    return upload

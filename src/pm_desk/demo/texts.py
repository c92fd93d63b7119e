"""The prose of the demo: inspection summaries, findings, complaints, reminders, notes."""

from __future__ import annotations


def word_list(text: str) -> tuple[str, ...]:
    """A comma-separated list written across lines, as a tuple of trimmed items."""
    return tuple(part.strip() for part in text.split(",") if part.strip())


INSPECTION_SUMMARIES = {
    "site_visit": (
        "Visited the jail's 287(g) unit; met the sergeant and two designated officers.",
        "Site visit: reviewed the booking area, the Livescan station and the officers' files.",
        "Walked through the intake process with the shift supervisor; no issues raised by staff.",
    ),
    "file_review": (
        "Reviewed a sample of detainer files and I-247A forms for the quarter.",
        "File review of encounter records and charging documents.",
        "Reviewed officer training files and background check documentation.",
    ),
    "inspection_office": (
        "Office of Professional Responsibility inspection of the agreement's compliance.",
        "Triennial OPR inspection: files, training, complaint handling, supervision.",
    ),
    "steering_committee": (
        "Annual steering committee meeting with the sheriff, the jail administrator and ERO.",
        "Steering committee: reviewed performance measures, complaints and community concerns.",
        "Steering committee held; the agency asked for two more officer seats at FLETC.",
    ),
}

FINDINGS = (
    ("high", "Officer performed 287(g) functions after the refresher lapsed.",
     "Remove the officer from 287(g) duties until the refresher is completed."),
    ("high", "Detainer lodged without a signed I-247A in the file.",
     "Obtain the signed form and retrain the unit on detainer procedure."),
    ("medium", "Encounter records not forwarded to ERO within five business days.",
     "Set a weekly file transmission to the field office."),
    ("medium", "Training roster of designated officers not kept current.",
     "Update the roster and send it to the program manager monthly."),
    ("medium", "Complaint received by the agency not reported to ICE within 48 hours.",
     "Designate a complaint liaison and document the reporting steps."),
    ("low", "Livescan workstation left logged in and unattended.",
     "Enable the screen lock and brief the officers."),
    ("low", "Supervisor review signatures missing on several encounter forms.",
     "Supervisors to sign the outstanding forms and review weekly."),
    ("low", "Signage about the 287(g) complaint process not posted in the booking area.",
     "Post the complaint notice in English and Spanish."),
)  # fmt: skip

COMPLAINTS = (
    "Detainee alleges he was not told why he was held past his release time.",
    "Family member complains about the officer's conduct at booking.",
    "Allegation of discourteous language by a designated officer.",
    "Detainee alleges his property was not returned at transfer.",
    "Complaint that a detainer was lodged on a U.S. citizen.",
    "Allegation that an interpreter was refused during the interview.",
)
COMPLAINT_OUTCOMES = (
    "Unfounded after review of the booking video.",
    "Sustained; officer counseled and retrained.",
    "Not sustained; insufficient evidence.",
    "Referred to the agency's internal affairs; officer retrained.",
)

REMINDERS = (
    "Call the jail administrator about the Livescan install",
    "Send the FLETC nomination list to the training unit",
    "Follow up on the network circuit order with OCIO",
    "Prepare the steering committee agenda",
    "Check the refresher completions in the LMS",
    "Collect the monthly activity counts",
    "Review the open findings with the sheriff's office",
    "Confirm background checks for the new nominees",
    "Send the signed MOA to the agency",
    "Draft the quarterly performance summary",
)
RECURRING_REMINDERS = (
    ("Monthly compliance report to the supervisor", "FREQ=MONTHLY;BYMONTHDAY=1"),
    ("Field office program managers' call", "FREQ=MONTHLY;BYDAY=3TU"),
    ("Weekly look at open holds and breaches", "FREQ=WEEKLY;BYDAY=MO"),
    ("Quarterly file review planning", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15"),
)

TRANSFER_NOTES = {
    "cancelled": (
        "Detainer lifted by ERO after review.",
        "Charges dismissed; detainer cancelled.",
        "Subject found to be a lawful permanent resident; detainer cancelled.",
    ),
    "released_no_pickup": (
        "Released at the end of the hold; no ERO unit available.",
        "Released on the judge's order; ERO notified.",
    ),
    "late": ("Pickup delayed: transport unit reassigned.", "Pickup delayed by the weather."),
}

REVOCATION_REASONS = (
    "Refresher training not completed within the 30-day grace period",
    "Refresher training not completed within the 30-day grace period",
    "Sustained misconduct complaint",
)
SEPARATION_REASONS = ("Left the agency", "Retired", "Reassigned out of the jail division")

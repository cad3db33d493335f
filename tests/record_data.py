"""The data of minimal records, shared by the tiers."""


def make_record_data(
    title, family_name, given_name="Ada", custom_fields=None, files=True, access="public"
):
    """The data of a dataset with one creator (public unless ``access`` says otherwise)."""
    data = {
        "access": {"record": access, "files": access},
        "files": {"enabled": files},
        "metadata": {
            "title": title,
            "publication_date": "2026-01-15",
            "resource_type": {"id": "dataset"},
            "creators": [
                {
                    "person_or_org": {
                        "type": "personal",
                        "given_name": given_name,
                        "family_name": family_name,
                    }
                }
            ],
        },
    }
    if custom_fields:
        data["custom_fields"] = custom_fields
    return data

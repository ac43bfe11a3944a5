"""The rights masks, read independently of somock's code.

The XSD flag values come from the vendor XSD itself (tests/contract/):
each member of the ETableRight / EFieldRight xs:list is worth 2**position
unless an EnumerationValue annotation says otherwise, as
DataContractSerializer writes flags enums. The .NET names are SuperOffice's
WebApi reference tables. value() turns any of the forms into the number,
so an XML answer and a JSON answer can be compared by what they mean.
"""
import os
import xml.etree.ElementTree as ET

CONTRACT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..',
                        'contract', 'Services88-Batch.types.xsd')
XS = '{http://www.w3.org/2001/XMLSchema}'
SER = '{http://schemas.microsoft.com/2003/10/Serialization/}'

DOTNET = {
    'ETableRight': {'None': 0, 'Select': 1, 'R': 1, 'Update': 2, 'UR': 3,
                    'Insert': 4, 'RI': 5, 'URI': 7, 'Delete': 8, 'UDR': 11,
                    'FULL': 15, 'Filtering': 16, 'F': 16, 'RF': 17,
                    'FI': 20, 'RestrictedUpdate': 32, 'Unused1': 64,
                    'Uninitialized': 128},
    'EFieldRight': {'None': 0, 'Read': 1, 'Write': 2, 'Update': 3,
                    'Unused1': 4, 'Unused2': 8, 'Unused3': 16, 'Unused4': 32,
                    'Nullable': 32, 'UIHintMandatory': 64,
                    'UIHintReadOnly': 128, 'UIHints': 192,
                    'UndefinedValue256': 256},
}


def xsd_flags(enum):
    """[(name, value)] of the XSD's xs:list members, in XSD order."""
    root = ET.parse(CONTRACT).getroot()
    for st in root.iter(XS + 'simpleType'):
        if st.get('name') != enum:
            continue
        out = []
        for i, e in enumerate(st.iter(XS + 'enumeration')):
            ann = e.find('.//' + SER + 'EnumerationValue')
            out.append((e.get('value'),
                        int(ann.text) if ann is not None else 2 ** i))
        return out
    raise KeyError(enum)


def value(enum, text, xml=False):
    """The number a mask means: XML text (space-separated XSD flags) or
    JSON text (.NET names joined by ', '). None for an unknown name."""
    if text is None:
        return None
    if isinstance(text, int):
        return text
    names = dict(xsd_flags(enum)) if xml else DOTNET[enum]
    total = 0
    for part in text.replace(',', ' ').split():
        if part not in names:
            return None
        total |= names[part]
    return total

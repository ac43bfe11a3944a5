/*
 * server/data/rights.h: SuperOffice's two rights masks, the .NET flags
 * enums ETableRight (a carrier's TableRight.Mask) and EFieldRight (each
 * FieldProperties entry's FieldRight.Mask), in the three forms they take:
 *
 *   - a number, as the data stores it;
 *   - .NET's Enum.ToString() text, what the JSON API writes: the one name
 *     equal to the value ("FULL" for 15), else the names that make it up,
 *     largest first taken, written smallest first, joined by ", "
 *     ("RI, RestrictedUpdate" for 37), "None" for 0;
 *   - the DataContract form, what XML and SOAP write: the vendor XSD
 *     declares each enum as an xs:list of single flags, and .NET's
 *     DataContractSerializer writes the one member equal to the value if
 *     there is one, else every member whose bits are all still set, in the
 *     XSD's order, clearing them as it goes ("Select Update Insert Delete"
 *     for 15), and an empty text for 0.
 *
 * Values with bits no XSD member has (ETableRight 256 and up, EFieldRight
 * 512 and up) cannot be written as XML, so they are refused as input.
 * Pure functions over static tables: no allocation, thread-safe.
 */
#ifndef SERVER_DATA_RIGHTS_H
#define SERVER_DATA_RIGHTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strbuf;

enum rights_kind {
	RIGHTS_TABLE,   /* ETableRight */
	RIGHTS_FIELD,   /* EFieldRight */
};

/* The largest value the kind can hold (every XSD flag set). */
uint32_t rights_max(enum rights_kind kind);

/*
 * Parse a mask written as .NET names ("FULL", "Update, UIHintMandatory"),
 * as the XSD's space-separated flags ("Select Update Insert Delete"), as
 * "None" or empty text (0), or as a decimal number. Names compare ASCII
 * case-insensitively. false for an unknown name or a value past
 * rights_max(); *out untouched then.
 */
bool rights_parse(enum rights_kind kind, const char *s, size_t n,
	uint32_t *out);

/*
 * The @i-th member of the XSD's xs:list for @kind, in the XSD's order,
 * with its value (for the WSDL writer); false past the last one.
 */
bool rights_xsd_member(enum rights_kind kind, size_t i, const char **name,
	uint32_t *value);

/* Append .NET's Enum.ToString() text of @value (JSON). */
void rights_put_dotnet(struct strbuf *out, enum rights_kind kind,
	uint32_t value);
/* Append the DataContract xs:list text of @value (XML); "" for 0. */
void rights_put_xsd(struct strbuf *out, enum rights_kind kind,
	uint32_t value);

#endif

using System.Xml;
using System.Xml.Schema;

namespace Gittensory.Drills.Tests.Ci;

/// <summary>Validates an XML file against an XSD with System.Xml.Schema, collecting every error with its line.</summary>
internal static class XmlSchemaCheck
{
    public static IReadOnlyList<string> Errors(string xsdPath, string xmlPath)
    {
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, DtdProcessing = DtdProcessing.Prohibit };
        settings.ValidationFlags |= XmlSchemaValidationFlags.ReportValidationWarnings;
        using (var xsd = XmlReader.Create(xsdPath))
        {
            settings.Schemas.Add(targetNamespace: null, xsd);
        }

        settings.ValidationEventHandler += (_, e) => errors.Add($"line {e.Exception.LineNumber}: {e.Message}");
        using var reader = XmlReader.Create(xmlPath, settings);
        while (reader.Read())
        {
        }

        return errors;
    }
}
